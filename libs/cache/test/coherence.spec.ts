import { waitFor } from '@clustache/testing';
import { countingLoader, Replicas } from './support/replicas';

describe('three replicas on one Redis', () => {
  let replicas: Replicas;
  beforeEach(async () => (replicas = await Replicas.start()));
  afterEach(() => replicas.cleanup());

  it('fills peers from a load on one replica, so they answer from L1 without the loader', async () => {
    const [a, b, c] = await replicas.many<{ id: string }>(3);
    const loader = countingLoader((key) => ({ id: key }));

    expect(await a!.lookup('k1', loader)).toEqual({ value: { id: 'k1' }, from: 'source' });
    await waitFor(() => b!.l1Entries === 1 && c!.l1Entries === 1, { description: 'peers filled' });

    expect(await b!.lookup('k1', loader)).toEqual({ value: { id: 'k1' }, from: 'subscription' });
    expect(await c!.getOrLoad('k1', loader)).toEqual({ id: 'k1' });
    expect(await a!.lookup('k1', loader)).toEqual({ value: { id: 'k1' }, from: 'own' });
    expect(loader.calls).toEqual(['k1']);
    expect(a!.stats.sourceFills).toBe(1);
    expect(a!.stats.ownHits).toBe(1);
    expect(b!.stats.subscriptionHits).toBe(1);
    expect(c!.stats.subscriptionHits).toBe(1);
  });

  it('propagates set, and ignores its own messages', async () => {
    const [a, b] = await replicas.many<number>(2);
    await a!.set('n', 1);
    await waitFor(async () => (await b!.get('n')) === 1, { description: 'b sees 1' });
    await b!.set('n', 2);
    await waitFor(async () => (await a!.get('n')) === 2, { description: 'a sees 2' });
    await waitFor(() => a!.stats.dropped.own > 0 && b!.stats.dropped.own > 0, {
      description: 'own messages seen',
    });
    expect(await b!.get('n')).toBe(2);
  });

  it('applies delete, deleteByPattern and clear on every replica', async () => {
    const [a, b, c] = await replicas.many<string>(3);
    await a!.setMany([
      ['item:1', 'one'],
      ['item:2', 'two'],
      ['user:1', 'ada'],
      ['user:2', 'bob'],
    ]);
    await waitFor(() => b!.l1Entries === 4 && c!.l1Entries === 4, { description: 'peers filled' });

    await b!.delete('item:1');
    await waitFor(
      async () => (await a!.get('item:1')) === undefined && (await c!.get('item:1')) === undefined,
    );

    const result = await c!.deleteByPattern('user:*');
    expect(result).toEqual({ propagated: true, removed: 2 });
    await waitFor(() => a!.l1Entries === 1 && b!.l1Entries === 1, { description: 'pattern applied' });
    expect(await a!.get('item:2')).toBe('two');

    await a!.clear();
    await waitFor(() => b!.l1Entries === 0 && c!.l1Entries === 0, { description: 'clear applied' });
    expect(a!.l1Entries).toBe(0);
  });

  it('does not send values above maxValueBytes; peers drop their copy instead', async () => {
    const [a, b] = await replicas.many<string>(2, { bus: { maxValueBytes: 100 } });
    await a!.set('big', 'small');
    await waitFor(async () => (await b!.get('big')) === 'small');
    await a!.set('big', 'x'.repeat(500));
    await waitFor(() => b!.l1Entries === 0, { description: 'b dropped its copy' });
    expect(a!.stats.valuesTooLarge).toBe(1);
    expect(await a!.get('big')).toHaveLength(500);
    const loader = countingLoader(() => 'reloaded');
    expect(await b!.lookup('big', loader)).toEqual({ value: 'reloaded', from: 'source' });
  });

  it('gets and sets many keys in one call each', async () => {
    const [a, b] = await replicas.many<string>(2);
    await a!.setMany([
      ['x', 'X'],
      ['y', 'Y'],
    ]);
    await waitFor(() => b!.l1Entries === 2);
    const batch: string[][] = [];
    const loaded = await b!.lookupMany(['x', 'y', 'z', 'missing'], async (keys) => {
      batch.push(keys);
      return new Map(keys.filter((k) => k !== 'missing').map((k) => [k, k.toUpperCase()]));
    });
    expect(batch).toEqual([['z', 'missing']]);
    expect(Object.fromEntries(loaded)).toEqual({
      x: { value: 'X', from: 'subscription' },
      y: { value: 'Y', from: 'subscription' },
      z: { value: 'Z', from: 'source' },
      missing: { value: undefined, from: undefined },
    });
    await waitFor(() => a!.l1Entries === 3, { description: 'z propagated to a' });
    expect(Object.fromEntries(await a!.getMany(['x', 'z', 'missing']))).toEqual({ x: 'X', z: 'Z' });
  });
});
