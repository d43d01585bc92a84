import { waitFor } from '@clustache/testing';
import { countingLoader, Replicas } from './support/replicas';

describe('loading', () => {
  let replicas: Replicas;
  beforeEach(async () => (replicas = await Replicas.start()));
  afterEach(() => replicas.cleanup());

  it('calls the loader once for concurrent getOrLoad calls of one key', async () => {
    const [a] = await replicas.many<string>(1);
    const loader = countingLoader((key) => `${key}!`, 20);
    const results = await Promise.all(Array.from({ length: 100 }, () => a!.getOrLoad('k', loader)));
    expect(new Set(results)).toEqual(new Set(['k!']));
    expect(loader.calls).toEqual(['k']);
    expect(a!.stats.loadsDeduplicated).toBe(99);
  });

  it('fails every waiter with the same error, caches nothing, and retries next time', async () => {
    const [a, b] = await replicas.many<string>(2);
    const failure = new Error('source down');
    let calls = 0;
    const failing = async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      throw failure;
    };
    const errors = await Promise.all(
      [1, 2, 3].map(() => a!.getOrLoad('k', failing).catch((error: unknown) => error)),
    );
    expect(errors).toEqual([failure, failure, failure]);
    expect(calls).toBe(1);
    expect(a!.stats.loaderErrors).toBe(1);
    expect(a!.l1Entries).toBe(0);
    expect(a!.stats.published.put).toBe(0);
    expect(await a!.getOrLoad('k', async () => 'ok')).toBe('ok');
    await waitFor(async () => (await b!.get('k')) === 'ok');
  });

  it('does not cache a loader answer of undefined', async () => {
    const [a] = await replicas.many<string>(1);
    const loader = countingLoader(() => undefined);
    expect(await a!.lookup('none', loader)).toEqual({ value: undefined, from: undefined });
    expect(await a!.lookup('none', loader)).toEqual({ value: undefined, from: undefined });
    expect(loader.calls).toHaveLength(2);
    expect(a!.stats.misses).toBe(2);
  });

  it('expires entries after their TTL on every replica', async () => {
    const [a, b] = await replicas.many<string>(2, { ttlJitter: 0 });
    await a!.set('short', 'v', { ttlMs: 150 });
    await waitFor(() => b!.l1Entries === 1);
    await waitFor(
      async () => (await a!.get('short')) === undefined && (await b!.get('short')) === undefined,
      {
        description: 'expiry everywhere',
      },
    );
    expect(a!.stats.evictions.expired).toBe(1);
  });

  it('rejects bad options with the option to change', () => {
    expect(() => replicas.replica({ name: 'bad name' })).rejects.toMatchObject({
      code: 'E_CACHE_CONFIG',
      message: expect.stringContaining('"name"'),
    });
    expect(() => replicas.replica({ ttlMs: -1 })).rejects.toMatchObject({
      code: 'E_CACHE_CONFIG',
      message: expect.stringContaining('"ttlMs"'),
    });
  });

  it('refuses values that cannot be serialised, and use after close', async () => {
    const [a] = await replicas.many<unknown>(1);
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    await expect(a!.set('c', cyclic)).rejects.toMatchObject({ code: 'E_VALUE_NOT_SERIALIZABLE' });
    await a!.close();
    await expect(a!.getOrLoad('k', () => 'v')).rejects.toMatchObject({ code: 'E_CACHE_CLOSED' });
  });
});
