import { waitFor } from '@clustache/testing';
import { countingLoader, Replicas } from './support/replicas';

describe('optional L2 (Redis as a shared second tier)', () => {
  let replicas: Replicas;
  beforeEach(async () => (replicas = await Replicas.start()));
  afterEach(() => replicas.cleanup());

  it('answers a new replica from L2 without the source', async () => {
    const a = await replicas.replica<string>({ l2: { enabled: true } });
    const loader = countingLoader((key) => `${key}@source`);
    await a.getOrLoad('k', loader);
    const redis = replicas.redis.client();
    await waitFor(async () => (await redis.exists('clustache:test:l2:k')) === 1, {
      description: 'written to L2',
    });

    const late = await replicas.replica<string>({ l2: { enabled: true } }); // joined after the fill was published
    expect(await late.lookup('k', loader)).toEqual({ value: 'k@source', from: 'l2' });
    expect(loader.calls).toEqual(['k']);
    expect(Object.fromEntries(await late.getMany(['k', 'none']))).toEqual({ k: 'k@source' });
    redis.disconnect();
  });

  it('leaves a delete marker that an older write cannot overwrite', async () => {
    const a = await replicas.replica<string>({ l2: { enabled: true } });
    let finish: ((v: string) => void) | undefined;
    const slow = a.getOrLoad('k', () => new Promise<string>((resolve) => (finish = resolve)));
    await waitFor(() => finish !== undefined, { description: 'load started' });
    const b = await replicas.replica<string>({ l2: { enabled: true } });
    await b.delete('k');
    finish!('old');
    await slow;
    const c = await replicas.replica<string>({ l2: { enabled: true } });
    const loader = countingLoader(() => 'new');
    expect(await c.lookup('k', loader)).toEqual({ value: 'new', from: 'source' });
  });

  it("is off by default: nothing is written to Redis but the bus's replay log", async () => {
    const a = await replicas.replica<string>();
    await a.set('k', 'v');
    const redis = replicas.redis.client();
    expect((await redis.keys('clustache:*')).sort()).toEqual([
      'clustache:test:log',
      'clustache:test:log-epoch',
    ]);
    // the log keeps the put, with its (small) value
    const [[, fields]] = (await redis.xrevrange('clustache:test:log', '+', '-', 'COUNT', 1)) as [
      string,
      string[],
    ][];
    expect(JSON.parse(fields![1]!)).toMatchObject({ t: 'p', k: 'k', d: 'v' });
    redis.disconnect();
  });

  it('degrades to the source when Redis is down', async () => {
    const a = await replicas.replica<string>({ l2: { enabled: true } });
    await replicas.redis.kill();
    const loader = countingLoader(() => 'v');
    expect(await a.lookup('k', loader)).toEqual({ value: 'v', from: 'source' });
    expect(a.stats.redisErrors['l2.mget']).toBe(1);
  });
});
