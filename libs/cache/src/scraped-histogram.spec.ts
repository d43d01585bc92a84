import { Registry } from 'prom-client';
import { registerScrapedHistogram } from './scraped-histogram';
import { Buckets } from './stats';

describe('a histogram read from plain buckets at scrape time', () => {
  const bounds = [0.001, 0.01];
  const scrape = async (registry: Registry) =>
    (await registry.metrics()).split('\n').filter((line) => line.startsWith('lag'));

  it('exposes cumulative buckets, sum and count per cache in the text format', async () => {
    const registry = new Registry();
    const a = new Buckets(bounds);
    registerScrapedHistogram(registry, 'lag', 'help', bounds, () => [['a', a]]);
    for (const seconds of [0.0005, 0.001, 0.005, 2]) a.observe(seconds);
    expect(await registry.metrics()).toContain('# TYPE lag histogram');
    expect(await scrape(registry)).toEqual([
      'lag_bucket{cache="a",le="0.001"} 2',
      'lag_bucket{cache="a",le="0.01"} 3',
      'lag_bucket{cache="a",le="+Inf"} 4',
      'lag_sum{cache="a"} 2.0065',
      'lag_count{cache="a"} 4',
    ]);
  });

  it('never goes down when a cache closes and another of its name takes over', async () => {
    const registry = new Registry();
    const first = new Buckets(bounds);
    const second = new Buckets(bounds);
    let live: [string, Buckets][] = [['a', first]];
    registerScrapedHistogram(registry, 'lag', 'help', bounds, () => live);
    first.observe(0.005);
    await scrape(registry);
    live = [['a', second]];
    second.observe(0.0005);
    expect(await scrape(registry)).toContain('lag_count{cache="a"} 2');
    expect(await scrape(registry)).toContain('lag_bucket{cache="a",le="0.001"} 1');
  });
});
