import { RedisCluster, waitFor, type RedisServer } from '@clustache/testing';
import { Registry } from 'prom-client';
import { createCache, type CoherentCache } from '../src';
import { slotOf } from '../src/redis/slot';
import { CacheReplicas, countingLoader } from './support/replicas';

/**
 * Where a replica stands in the replay log: known once its first log read after subscribing has
 * answered. Until then a replica cannot repair: a gap or a lost subscription can only drop L1,
 * and with it the fills it held. The rows wait for it before their first write (on a busy
 * machine the read can take a while).
 */
const logPositionOf = (cache: CoherentCache<string>): unknown =>
  (cache as unknown as { bus: { logPosition: unknown } }).bus.logPosition;
/** What a replica's bus has done, for the message of a wait for fills that times out. */
const busState = (...caches: (CoherentCache<string> | undefined)[]) =>
  caches
    .map((cache) =>
      JSON.stringify({
        l1: cache!.l1Entries,
        ready: cache!.isReady,
        bus: cache!.busConnected,
        received: cache!.stats.received,
        resyncs: cache!.stats.resyncs,
        repairs: cache!.stats.repairs,
        rejected: cache!.stats.storesRejected,
        conflicts: cache!.stats.conflicts,
      }),
    )
    .join(' ');

const located = (...caches: (CoherentCache<string> | undefined)[]) =>
  waitFor(() => caches.every((cache) => logPositionOf(cache!) !== undefined), {
    description: 'every replica located in the replay log',
  });

/** Runs one command on one node of the cluster (not through the cluster client: no redirects). */
async function onNode(node: RedisServer, ...args: string[]): Promise<unknown> {
  const client = node.client();
  try {
    return await client.call(args[0]!, ...args.slice(1));
  } finally {
    client.disconnect();
  }
}

const busChannel = (name: string) => `clustache:{${name}}:bus`;

describe('Redis Cluster (3 masters): sharded pub/sub bus, hash-tagged keys', () => {
  let cluster: RedisCluster;
  let replicas: CacheReplicas;
  beforeAll(async () => {
    cluster = await RedisCluster.start({ masters: 3 });
    replicas = new CacheReplicas({ cluster: cluster.startupNodes });
  }, 30_000);
  afterEach(() => replicas.closeAll());
  afterAll(() => cluster?.stop());

  it('computes the slot of a key as the cluster does', async () => {
    for (const key of ['foo', busChannel('users'), 'clustache:{users}:l2:item:1', '{}users', 'a{b}{c}']) {
      expect(slotOf(key)).toBe(await cluster.slotOf(key));
    }
  });

  it('fills peers over SSUBSCRIBE on the master of the channel, never over classic pub/sub', async () => {
    const [a, b, c] = await replicas.many<{ id: string }>(3, { name: 'fills' });
    const loader = countingLoader((key) => ({ id: key }));
    expect(await a!.lookup('k1', loader)).toEqual({ value: { id: 'k1' }, from: 'source' });
    await waitFor(() => b!.l1Entries === 1 && c!.l1Entries === 1, {
      description: () => `peers filled (${busState(b, c)})`,
    });
    expect(await b!.lookup('k1', loader)).toEqual({ value: { id: 'k1' }, from: 'subscription' });
    expect(loader.calls).toEqual(['k1']);

    const owner = await cluster.masterOf(busChannel('fills'));
    expect(await onNode(owner, 'PUBSUB', 'SHARDNUMSUB', busChannel('fills'))).toEqual([
      busChannel('fills'),
      3,
    ]);
    for (const node of cluster.nodes) expect(await onNode(node, 'PUBSUB', 'CHANNELS')).toEqual([]);
  });

  it('applies delete, deleteByPattern and clear on every replica', async () => {
    const [a, b, c] = await replicas.many<string>(3, { name: 'writes' });
    await located(a, b, c);
    await a!.setMany([
      ['item:1', 'one'],
      ['item:2', 'two'],
      ['user:1', 'ada'],
      ['user:2', 'bob'],
    ]);
    await waitFor(() => b!.l1Entries === 4 && c!.l1Entries === 4, {
      description: () => `peers filled (${busState(b, c)})`,
    });
    await b!.delete('item:1');
    await waitFor(() => a!.l1Entries === 3 && c!.l1Entries === 3, { description: 'delete applied' });
    expect(await c!.deleteByPattern('user:*')).toEqual({ propagated: true, removed: 2 });
    await waitFor(() => a!.l1Entries === 1 && b!.l1Entries === 1, { description: 'pattern applied' });
    expect(await a!.get('item:2')).toBe('two');
    await a!.clear();
    await waitFor(() => b!.l1Entries === 0 && c!.l1Entries === 0, { description: 'clear applied' });
  });

  it('keeps one cache L2 in its slot: MGET, pipelined writes and pattern deletes on one node', async () => {
    const name = 'tier2';
    const a = await replicas.replica<string>({ name, l2: { enabled: true } });
    const keys = Array.from({ length: 20 }, (_, i) => `item:${i}`);
    expect(new Set(keys.map(slotOf)).size).toBeGreaterThan(1); // untagged, they would span slots
    await a.setMany(keys.map((key) => [key, `v-${key}`]));
    const owner = await cluster.masterOf(busChannel(name));
    const stored = async () => ((await onNode(owner, 'KEYS', `clustache:{${name}}:l2:*`)) as string[]).length;
    await waitFor(async () => (await stored()) === 20, { description: 'L2 written on the owner' });

    const late = await replicas.replica<string>({ name, l2: { enabled: true } });
    const batches: string[][] = [];
    const found = await late.lookupMany([...keys.slice(0, 3), 'absent'], async (missing) => {
      batches.push(missing);
      return new Map(missing.map((key) => [key, `source-${key}`]));
    });
    expect(Object.fromEntries(found)).toEqual({
      'item:0': { value: 'v-item:0', from: 'l2' },
      'item:1': { value: 'v-item:1', from: 'l2' },
      'item:2': { value: 'v-item:2', from: 'l2' },
      absent: { value: 'source-absent', from: 'source' },
    });
    expect(batches).toEqual([['absent']]);
    expect(late.stats.redisErrors).toEqual({});

    await a.deleteByPattern('item:1*'); // item:1, item:10..19
    await waitFor(async () => (await stored()) === 10, { description: 'pattern delete in L2' });
    await late.clear();
    await waitFor(async () => (await stored()) === 0, { description: 'clear in L2' });
  });

  it('loads a key once when several replicas miss it together (load lease in the cache slot)', async () => {
    const caches = await replicas.many<string>(5, { name: 'leases' });
    const loader = countingLoader((key) => `${key}!`, 50);
    const results = await Promise.all(caches.map((cache) => cache.lookup('cold', loader)));
    expect(loader.calls).toEqual(['cold']);
    expect(results.filter((r) => r.from === 'subscription')).toHaveLength(4);
    // The others lost the lease and took the fill, or (on a busy machine) asked once the holder
    // had let go, won it, and found the fill already there: none waited in vain.
    const leases = (outcome: 'won' | 'filled' | 'unfilled') =>
      caches.reduce((sum, cache) => sum + cache.stats.leases[outcome], 0);
    expect([leases('won') + leases('filled'), leases('unfilled')]).toEqual([5, 0]);
  });

  it('flushes (the replay log was lost) and recovers by itself when the master of the bus channel restarts', async () => {
    const name = 'restart';
    const [a, b, c] = await replicas.many<string>(3, { name });
    await located(a, b, c);
    await a!.set('before', 'x');
    await waitFor(() => b!.l1Entries === 1 && c!.l1Entries === 1, {
      description: () => `peers filled (${busState(b, c)})`,
    });

    const owner = await cluster.masterOf(busChannel(name));
    await owner.kill();
    await waitFor(() => [a, b, c].every((cache) => !cache!.busConnected), { description: 'bus lost' });
    await owner.restart(); // same port, same nodes.conf: it rejoins with its slots
    await cluster.waitUntilOk();
    await Promise.all([a, b, c].map((cache) => cache!.ready(20_000)));

    // The node kept no replay log across its restart: nothing can prove what was missed. (While
    // the cluster still settles, reading the log may fail first: that flush is counted as an error.)
    const flushed = (cache: CoherentCache<string>) =>
      cache.stats.repairs['flushed/log-lost'] + cache.stats.repairs['flushed/error'];
    await waitFor(() => [a, b, c].every((cache) => flushed(cache!) >= 1), {
      description: 'every replica flushed',
    });
    for (const cache of [a, b, c]) {
      expect(cache!.stats.repairs['repaired/reconnect']).toBe(0);
      expect(cache!.l1Entries).toBe(0);
    }
    await a!.set('after', 'y');
    await waitFor(async () => (await b!.get('after')) === 'y' && (await c!.get('after')) === 'y', {
      description: 'fills travel again',
    });
  }, 40_000);

  it('follows the channel when its slot migrates to another master', async () => {
    const name = 'migrate';
    const [a, b] = await replicas.many<string>(2, { name, l2: { enabled: true } });
    await located(a, b);
    await a!.set('k', 'v1');
    await waitFor(() => b!.l1Entries === 1, { description: () => `b filled (${busState(b)})` });

    const from = await cluster.masterOf(busChannel(name));
    const to = cluster.nodes.find((node) => node !== from)!;
    await cluster.moveSlot(slotOf(busChannel(name)), to);
    // The replay log moved with the slot: both repair from it and keep their L1.
    // The resubscription starts the repair; on a busy machine a gap seen first may start it.
    const repaired = (cache: CoherentCache<string>) =>
      cache.stats.repairs['repaired/reconnect'] + cache.stats.repairs['repaired/gap'] >= 1;
    await waitFor(
      () => repaired(a!) && repaired(b!) && a!.isReady && b!.isReady, // and each has heard the other since
      {
        description: () =>
          `both resubscribed on the new master and repaired (a ${JSON.stringify(a!.stats.repairs)}, b ${JSON.stringify(b!.stats.repairs)}, ready ${a!.isReady}/${b!.isReady})`,
        timeoutMs: 20_000,
      },
    );
    expect(await onNode(to, 'PUBSUB', 'SHARDNUMSUB', busChannel(name))).toEqual([busChannel(name), 2]);
    expect(b!.stats.resyncs).toMatchObject({ reconnect: 0, 'log-lost': 0, trimmed: 0 });
    expect(await b!.lookup('k', () => 'from-source')).toEqual({ value: 'v1', from: 'subscription' });
    await a!.delete('k'); // and the bus works on the new master (get: no load whose fill could race)
    await waitFor(async () => (await b!.get('k')) === undefined, { description: 'the delete reached b' });
    await a!.set('k', 'v2');
    await waitFor(async () => (await b!.get('k')) === 'v2', { description: 'fills travel again' });
  });
});

describe('Redis Cluster configuration', () => {
  it('rejects an empty node list, naming the option', () => {
    expect(() => createCache({ name: 'x', redis: { cluster: [] } })).toThrow(
      expect.objectContaining({ code: 'E_CACHE_CONFIG', message: expect.stringContaining('redis.cluster') }),
    );
  });

  it('is not ready while no node answers, and does not hang', async () => {
    const cache: CoherentCache = createCache({
      name: 'x',
      redis: { cluster: [{ host: '127.0.0.1', port: 1 }] },
      registry: new Registry(),
    });
    await expect(cache.ready(300)).rejects.toMatchObject({ code: 'E_REDIS_UNAVAILABLE' });
    await cache.close();
  });
});

describe('Redis Cluster with replicas: failover', () => {
  let cluster: RedisCluster;
  let replicas: CacheReplicas;
  beforeAll(async () => {
    cluster = await RedisCluster.start({ masters: 3, replicasPerMaster: 1 });
    replicas = new CacheReplicas({ cluster: cluster.startupNodes });
  }, 30_000);
  afterAll(async () => {
    await replicas?.closeAll();
    await cluster?.stop();
  });

  it('follows the bus channel to the promoted replica when its master dies', async () => {
    const name = 'failover';
    const [a, b] = await replicas.many<string>(2, { name, l2: { enabled: true } });
    await located(a, b);
    await a!.set('before', 'x');
    await waitFor(() => b!.l1Entries === 1, { description: () => `b filled (${busState(b)})` });

    const dead = await cluster.masterOf(busChannel(name));
    // The replica has every log entry before the master dies: the promoted one can repair.
    expect(await onNode(dead, 'WAIT', '1', '5000')).toBe(1);
    await dead.kill();
    await waitFor(async () => (await cluster.masterOf(busChannel(name))) !== dead, {
      description: 'a replica promoted',
      timeoutMs: 15_000,
      intervalMs: 100,
    });
    await cluster.waitUntilOk();
    await Promise.all([a!.ready(15_000), b!.ready(15_000)]);
    const promoted = await cluster.masterOf(busChannel(name));
    expect(await onNode(promoted, 'PUBSUB', 'SHARDNUMSUB', busChannel(name))).toEqual([busChannel(name), 2]);
    await waitFor(() => b!.stats.repairs['repaired/reconnect'] === 1, {
      description: () =>
        `b repaired (${JSON.stringify(b!.stats.repairs)}, resyncs ${JSON.stringify(b!.stats.resyncs)})`,
    });
    expect(b!.l1Entries).toBe(1); // kept: the promoted replica had the whole log
    await a!.set('after', 'y');
    await waitFor(async () => (await b!.get('after')) === 'y', { description: 'fills travel again' });
  }, 40_000);
});
