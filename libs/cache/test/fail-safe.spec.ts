import { waitFor } from '@clustache/testing';
import { countingLoader, Replicas } from './support/replicas';

const never = () => new Promise<string>(() => undefined);
const failing = async (): Promise<string> => {
  throw new Error('source down');
};

describe('fail-safe, timeouts and eager refresh', () => {
  let replicas: Replicas;
  beforeEach(async () => (replicas = await Replicas.start()));
  afterEach(() => replicas.cleanup());

  const expiredEntry = async (overrides = {}) => {
    const [cache] = await replicas.many<string>(1, {
      ttlJitter: 0,
      failSafe: { graceMs: 60_000 },
      ...overrides,
    });
    await cache!.set('k', 'last-good', { ttlMs: 50 });
    await waitFor(async () => (await cache!.get('k')) === undefined, { description: 'entry past its TTL' });
    return cache!;
  };

  it('serves the last value, marked stale and counted, when the loader fails after expiry', async () => {
    const cache = await expiredEntry();
    expect(await cache.lookup('k', failing)).toEqual({ value: 'last-good', from: 'stale' });
    expect(cache.stats.staleServed.error).toBe(1);
    expect(await cache.lookup('k', () => 'fresh')).toEqual({ value: 'fresh', from: 'source' });
  });

  it('never falls back to a value that was invalidated', async () => {
    const cache = await expiredEntry();
    await cache.delete('k');
    await expect(cache.lookup('k', failing)).rejects.toThrow('source down');
    expect(cache.stats.staleServed.error).toBe(0);
  });

  it('answers the stale value after the soft timeout and stores the slow load when it lands', async () => {
    const cache = await expiredEntry({ timeouts: { softMs: 20 } });
    let finish: ((value: string) => void) | undefined;
    const slow = () => new Promise<string>((resolve) => (finish = resolve));
    expect(await cache.lookup('k', slow)).toEqual({ value: 'last-good', from: 'stale' });
    expect(cache.stats.staleServed.softTimeout).toBe(1);
    await waitFor(() => finish !== undefined);
    finish!('late-but-fresh');
    await waitFor(async () => (await cache.get('k')) === 'late-but-fresh', {
      description: 'background load stored',
    });
  });

  it('bounds every wait by the hard timeout, with one load shared by all waiters', async () => {
    // Long enough for the lease round trip before the load on a busy machine (it counts against
    // the hard timeout too); the loader never answers, so the test still ends at the timeout.
    const [cache] = await replicas.many<string>(1, { timeouts: { hardMs: 300 } });
    let calls = 0;
    const hanging = () => {
      calls++;
      return never();
    };
    const results = await Promise.allSettled([cache!.lookup('k', hanging), cache!.lookup('k', hanging)]);
    for (const result of results) {
      expect(result).toMatchObject({ status: 'rejected', reason: { code: 'E_LOADER_TIMEOUT' } });
    }
    expect(calls).toBe(1);
    expect(cache!.stats.loaderTimeouts).toBe(2);
  });

  it('reloads a hot entry in the background before it expires, serving the cached value meanwhile', async () => {
    const [cache] = await replicas.many<string>(1, { ttlJitter: 0, eagerRefresh: 0.5 });
    let version = 0;
    const loader = countingLoader(() => `v${++version}`);
    await cache!.getOrLoad('hot', loader, { ttlMs: 400 });
    await waitFor(async () => (await cache!.getOrLoad('hot', loader, { ttlMs: 400 })) === 'v2', {
      description: 'refreshed in the background',
    });
    expect(cache!.stats.eagerRefreshes).toBeGreaterThanOrEqual(1);
    expect(cache!.stats.sourceFills).toBe(2);
    expect(cache!.stats.misses).toBe(0); // no caller ever waited on the source after the first load
  });
});
