import { waitFor } from '@clustache/testing';
import { countingLoader, Replicas } from './support/replicas';

describe('one source load per key across replicas (load leases)', () => {
  let replicas: Replicas;
  beforeEach(async () => (replicas = await Replicas.start()));
  afterEach(() => replicas.cleanup());

  it('loads a key once when ten replicas miss it at the same moment', async () => {
    const caches = await replicas.many<string>(10);
    const loader = countingLoader((key) => `${key}!`, 50);
    const results = await Promise.all(caches.map((cache) => cache.lookup('cold', loader)));
    expect(loader.calls).toEqual(['cold']);
    expect(results.filter((r) => r.from === 'source')).toHaveLength(1);
    expect(results.filter((r) => r.from === 'subscription')).toHaveLength(9);
    expect(new Set(results.map((r) => r.value))).toEqual(new Set(['cold!']));
    const leases = caches.map((cache) => cache.stats.leases);
    expect(leases.reduce((sum, l) => sum + l.won, 0)).toBe(1);
    expect(leases.reduce((sum, l) => sum + l.filled, 0)).toBe(9);
    // The fill itself wakes the waiters: the holder sends nothing else on the bus.
    expect(caches.reduce((sum, cache) => sum + cache.stats.published.abandon, 0)).toBe(0);
  });

  it('tells waiters when its load was overtaken by a delete and no fill went out', async () => {
    const [a, b, c] = await replicas.many<string>(3, { loadLease: { waitMs: 60_000 } });
    let release: ((v: string) => void) | undefined;
    const holder = a!.lookup('k', () => new Promise<string>((resolve) => (release = resolve)));
    await waitFor(() => release !== undefined, { description: 'a holds the lease and loads' });
    await c!.delete('k');
    await waitFor(() => a!.stats.received.delete === 1 && b!.stats.received.delete === 1, {
      description: 'the delete reached a and b',
    });
    const waiter = b!.lookup('k', () => 'from-b');
    const admin = replicas.redis.client();
    const leaseRequests = async () => /cmdstat_set:calls=(\d+)/.exec(await admin.info('commandstats'))?.[1];
    await waitFor(async () => (await leaseRequests()) === '2', {
      description: 'b asked for the lease a holds',
    });
    admin.disconnect();
    release!('from-a');
    expect(await holder).toEqual({ value: 'from-a', from: 'source' });
    expect(await waiter).toEqual({ value: 'from-b', from: 'source' });
    expect(a!.stats.published).toMatchObject({ put: 0, abandon: 1 });
    expect(b!.stats.leases.unfilled).toBe(1);
  });

  it('lets waiters load for themselves when the holder fails, with no wait for the deadline', async () => {
    const [a, b] = await replicas.many<string>(2, { loadLease: { waitMs: 60_000 } });
    const failing = countingLoader((): string => {
      throw new Error('source down');
    }, 30);
    const holder = a!.getOrLoad('k', failing).catch((error: Error) => error.message);
    await waitFor(() => failing.calls.length === 1, { description: 'a holds the lease and loads' });
    const fallback = countingLoader(() => 'from-b');
    expect(await b!.lookup('k', fallback)).toEqual({ value: 'from-b', from: 'source' });
    expect(await holder).toBe('source down');
    expect(b!.stats.leases.unfilled).toBe(1);
  });

  it('loads without a lease when Redis is down', async () => {
    const [a] = await replicas.many<string>(1);
    await replicas.redis.kill();
    const loader = countingLoader(() => 'v');
    expect(await a!.lookup('k', loader)).toEqual({ value: 'v', from: 'source' });
    expect(a!.stats.leases.unavailable).toBe(1);
  });

  it('stops waiting after waitMs when the holder goes silent', async () => {
    const [a, b] = await replicas.many<string>(2, { loadLease: { waitMs: 100 } });
    let release: ((v: string) => void) | undefined;
    void a!.getOrLoad('k', () => new Promise<string>((resolve) => (release = resolve)));
    await waitFor(() => release !== undefined);
    expect(await b!.lookup('k', () => 'b-loaded')).toEqual({ value: 'b-loaded', from: 'source' });
    expect(b!.stats.leases.unfilled).toBe(1);
    release!('a-loaded');
  });
});
