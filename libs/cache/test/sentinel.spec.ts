import { RedisSentinel, RedisServer, waitFor } from '@clustache/testing';
import { CacheReplicas, countingLoader } from './support/replicas';

describe('Redis Sentinel: caches find the master through a sentinel', () => {
  let master: RedisServer;
  let sentinel: RedisSentinel;
  let replicas: CacheReplicas;
  beforeAll(async () => {
    master = await RedisServer.start();
    sentinel = await RedisSentinel.start(master);
    replicas = new CacheReplicas({ sentinels: sentinel.sentinels, name: sentinel.masterName });
  });
  afterEach(() => replicas.closeAll());
  afterAll(async () => {
    await sentinel?.stop();
    await master?.kill();
  });

  it('fills peers, applies deletes and shares L2 on the master the sentinel names', async () => {
    const [a, b, c] = await replicas.many<string>(3, { l2: { enabled: true } });
    const loader = countingLoader((key) => `${key}@source`);
    expect(await a!.lookup('k', loader)).toEqual({ value: 'k@source', from: 'source' });
    await waitFor(() => b!.l1Entries === 1 && c!.l1Entries === 1, { description: 'peers filled' });
    expect(await b!.lookup('k', loader)).toEqual({ value: 'k@source', from: 'subscription' });
    expect(loader.calls).toEqual(['k']);

    const admin = master.client();
    expect(await admin.pubsub('NUMSUB', 'clustache:test:bus')).toEqual(['clustache:test:bus', 3]);
    await waitFor(async () => (await admin.exists('clustache:test:l2:k')) === 1, {
      description: 'L2 written',
    });
    admin.disconnect();

    await c!.delete('k');
    await waitFor(() => a!.l1Entries === 0 && b!.l1Entries === 0, { description: 'delete applied' });
  });

  it('flushes (the restarted master kept no replay log) and recovers by itself when the master restarts', async () => {
    const [a, b] = await replicas.many<string>(2);
    await a!.set('before', 'x');
    await waitFor(() => b!.l1Entries === 1, { description: 'b filled' });
    await master.kill();
    await waitFor(() => !a!.busConnected && !b!.busConnected, { description: 'bus lost' });
    await master.restart();
    await Promise.all([a!.ready(15_000), b!.ready(15_000)]);
    expect(b!.l1Entries).toBe(0);
    expect(b!.stats.resyncs['log-lost']).toBe(1);
    await a!.set('after', 'y');
    await waitFor(async () => (await b!.get('after')) === 'y', { description: 'fills travel again' });
  }, 30_000);
});

describe('Redis Sentinel failover', () => {
  it('follows the promoted replica: repairs from its copy of the replay log, then fills travel on the new master', async () => {
    const master = await RedisServer.start();
    const replica = await RedisServer.start({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    const sentinel = await RedisSentinel.start(master);
    const replicas = new CacheReplicas({ sentinels: sentinel.sentinels, name: sentinel.masterName });
    try {
      await waitFor(async () => (await sentinel.knownReplicas()) === 1, {
        description: 'sentinel knows the replica',
        timeoutMs: 15_000,
      });
      // A long staleness bound: a peer still reconnecting after the failover is not yet "silent".
      const [a, b] = await replicas.many<string>(2, { bus: { heartbeatMs: 200, maxLagMs: 5000 } });
      await a!.set('before', 'x');
      await waitFor(() => b!.l1Entries === 1, { description: 'b filled' });
      const primary = master.client();
      expect(await primary.call('WAIT', '1', '5000')).toBe(1); // the replica has the whole log
      primary.disconnect();

      await master.kill();
      await waitFor(async () => (await sentinel.masterAddress())?.[1] === String(replica.port), {
        description: 'sentinel promotes the replica',
        timeoutMs: 15_000,
        intervalMs: 100,
      });
      await Promise.all([a!.ready(15_000), b!.ready(15_000)]);
      expect(b!.stats.repairs['repaired/reconnect']).toBe(1);
      expect(b!.l1Entries).toBe(1);
      await a!.set('after', 'y');
      await waitFor(async () => (await b!.get('after')) === 'y', { description: 'fills travel again' });
      const admin = replica.client();
      expect(await admin.pubsub('NUMSUB', 'clustache:test:bus')).toEqual(['clustache:test:bus', 2]);
      admin.disconnect();
    } finally {
      await replicas.closeAll();
      await sentinel.stop();
      await Promise.all([master.kill(), replica.kill()]);
    }
  }, 40_000);
});
