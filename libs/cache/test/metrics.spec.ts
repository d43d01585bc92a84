import { waitFor } from '@clustache/testing';
import type { Registry } from 'prom-client';
import { countingLoader, Replicas } from './support/replicas';

async function value(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find(
    (m) => name.replace(/_(count|sum|bucket)$/, '') === m.name || m.name === name,
  );
  if (!metric) throw new Error(`metric ${name} not registered`);
  const sample = (
    metric.values as { labels: Record<string, string | number>; value: number; metricName?: string }[]
  ).find(
    (v) =>
      (v.metricName === undefined || v.metricName === name) &&
      Object.entries(labels).every(([k, l]) => v.labels[k] === l),
  );
  return sample?.value ?? 0;
}

describe('metrics', () => {
  let replicas: Replicas;
  beforeEach(async () => (replicas = await Replicas.start()));
  afterEach(() => replicas.cleanup());

  it('moves the three seed counters as a fill travels between replicas', async () => {
    const [a, b] = await replicas.many<string>(2);
    const loader = countingLoader(() => 'v');
    await a!.getOrLoad('k', loader); // source
    await a!.getOrLoad('k', loader); // own
    await waitFor(() => b!.l1Entries === 1);
    await b!.getOrLoad('k', loader); // subscription
    await b!.getOrLoad('k', loader); // subscription

    const cache = { cache: 'test' };
    expect(await value(a!.registry, 'clustache_cache_filled_from_source', cache)).toBe(1);
    expect(await value(a!.registry, 'clustache_cache_filled_from_cache_own', cache)).toBe(1);
    expect(await value(a!.registry, 'clustache_cache_filled_from_cache_subscription', cache)).toBe(0);
    expect(await value(b!.registry, 'clustache_cache_filled_from_cache_subscription', cache)).toBe(2);
    expect(await value(b!.registry, 'clustache_cache_filled_from_source', cache)).toBe(0);
    expect(await value(b!.registry, 'clustache_cache_hits_total', cache)).toBe(2);
    expect(await value(a!.registry, 'clustache_cache_misses_total', cache)).toBe(1);
    expect(await value(b!.registry, 'clustache_cache_l1_entries', cache)).toBe(1);
    expect(await value(b!.registry, 'clustache_cache_bus_connected', cache)).toBe(1);
    expect(
      await value(b!.registry, 'clustache_cache_bus_messages_received_total', { ...cache, type: 'put' }),
    ).toBe(1);
    expect(await value(b!.registry, 'clustache_cache_bus_lag_seconds_count', cache)).toBeGreaterThanOrEqual(
      1,
    );
    expect(await value(a!.registry, 'clustache_cache_loader_duration_seconds_count', cache)).toBe(1);

    // counters read at scrape time keep counting between scrapes
    await b!.getOrLoad('k', loader);
    expect(await value(b!.registry, 'clustache_cache_filled_from_cache_subscription', cache)).toBe(3);
  });

  it('exposes every series whose label values are known in advance at 0 on a fresh cache', async () => {
    // A dashboard panel over a counter with no series shows "No data" on a healthy system, not 0.
    const [a] = await replicas.many(1);
    const text = await a!.registry.metrics();
    const known: Record<string, [label: string, values: string[]]> = {
      clustache_cache_redis_errors_total: [
        'operation',
        ['publish', 'l2.mget', 'l2.set', 'l2.scan', 'lease.acquire', 'lease.release'],
      ],
      clustache_cache_stale_served_total: ['reason', ['error', 'softTimeout', 'hardTimeout']],
      clustache_cache_load_leases_total: ['outcome', ['won', 'filled', 'unfilled', 'unavailable']],
      clustache_cache_l1_evictions_total: ['reason', ['capacity', 'expired']],
      clustache_cache_bus_messages_dropped_total: ['reason', ['own', 'late', 'stale', 'malformed', 'format']],
    };
    const missing: string[] = [];
    for (const [name, [label, values]] of Object.entries(known)) {
      for (const value of values) {
        const series = `${name}{cache="test",${label}="${value}"}`;
        if (!text.split('\n').includes(`${series} 0`)) missing.push(series);
      }
    }
    expect(missing).toEqual([]);
    expect(text).toMatch(/^clustache_cache_bus_publish_failures_total\{cache="test"\} 0$/m);
  });

  it('exposes the counters by their exact names in the text format', async () => {
    const [a] = await replicas.many(1);
    const text = await a!.registry.metrics();
    for (const name of [
      'clustache_cache_filled_from_cache_own',
      'clustache_cache_filled_from_cache_subscription',
      'clustache_cache_filled_from_source',
    ]) {
      expect(text).toContain(`# TYPE ${name} counter`);
      expect(text).toMatch(new RegExp(`^${name}\\{cache="test"\\} 0$`, 'm'));
    }
  });
});
