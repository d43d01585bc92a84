import { waitFor } from '@clustache/testing';
import { countingLoader, Replicas } from './support/replicas';

describe('Redis outages', () => {
  let replicas: Replicas;
  beforeEach(async () => (replicas = await Replicas.start()));
  afterEach(() => replicas.cleanup());

  it('reads the source, not L1, while Redis is down (peers cannot invalidate), and recovers by itself', async () => {
    const [a, b] = await replicas.many<string>(2);
    const loader = countingLoader((key) => `${key}@source`);
    await a!.getOrLoad('warm', loader);
    await waitFor(() => b!.l1Entries === 1);

    await replicas.redis.kill();
    await waitFor(() => !a!.isReady && !b!.isReady, { description: 'replicas notice the outage' });

    expect(await b!.lookup('warm', loader)).toEqual({ value: 'warm@source', from: 'source' });
    expect(await a!.lookup('cold', loader)).toEqual({ value: 'cold@source', from: 'source' });
    expect(b!.stats.leases.unavailable).toBeGreaterThan(0);
    expect(await a!.set('written', 'w')).toEqual({ propagated: false });
    expect(await b!.delete('warm')).toEqual({ propagated: false });
    expect(a!.stats.redisErrors['log.append']).toBeGreaterThan(0);

    await replicas.redis.restart();
    await Promise.all([a!.ready(15_000), b!.ready(15_000)]);

    // nothing cached before or during the outage survives it: the restarted Redis kept no
    // replay log, so nothing can prove what was missed
    expect(a!.l1Entries).toBe(0);
    expect(b!.l1Entries).toBe(0);
    expect(a!.stats.reconnects).toBe(1);
    expect(a!.stats.resyncs['log-lost']).toBe(1);
    expect(await a!.lookup('warm', loader)).toEqual({ value: 'warm@source', from: 'source' });

    // and the bus works again
    await a!.set('after', 'x');
    await waitFor(async () => (await b!.get('after')) === 'x', { description: 'fill after recovery' });
  });

  it("keeps answering from L1 during the outage with whileDisconnected: 'serve'", async () => {
    const [a, b] = await replicas.many<string>(2, { bus: { heartbeatMs: 200, whileDisconnected: 'serve' } });
    const loader = countingLoader((key) => `${key}@source`);
    await a!.getOrLoad('warm', loader);
    await waitFor(() => b!.l1Entries === 1);
    await replicas.redis.kill();
    await waitFor(() => !b!.isReady, { description: 'b notices the outage' });
    expect(await b!.lookup('warm', loader)).toEqual({ value: 'warm@source', from: 'subscription' });
    await replicas.redis.restart();
    await b!.ready(15_000);
    expect(b!.l1Entries).toBe(0); // still dropped on resubscription
  });

  it('serves the L1 copy, marked stale, when the source fails during the outage (fail-safe)', async () => {
    const [a, b] = await replicas.many<string>(2, { failSafe: { graceMs: 60_000 } });
    await a!.set('k', 'v');
    await waitFor(() => b!.l1Entries === 1);
    await replicas.redis.kill();
    await waitFor(() => !b!.isReady);
    const failing = async (): Promise<string> => {
      throw new Error('source down too');
    };
    expect(await b!.lookup('k', failing)).toEqual({ value: 'v', from: 'stale' });
    expect(b!.stats.staleServed.error).toBe(1);
  });

  it.each([
    ['repairs L1 from the replay log', true, 1],
    ['drops L1 with the replay log off', false, 0],
  ])(
    'when only its subscriber connection is killed (CLIENT KILL TYPE pubsub), %s',
    async (_name, enabled, kept) => {
      const [a, b] = await replicas.many<string>(2, { bus: { heartbeatMs: 200, replayLog: { enabled } } });
      await a!.set('k', 'v');
      await waitFor(() => b!.l1Entries === 1);
      const admin = replicas.redis.client();
      await admin.client('KILL', 'TYPE', 'pubsub');
      await waitFor(
        () => a!.stats.reconnects === 1 && b!.stats.reconnects === 1 && a!.isReady && b!.isReady,
        {
          description: 'resubscribed',
          timeoutMs: 10_000,
        },
      );
      await waitFor(() => b!.stats.repairs[enabled ? 'repaired/reconnect' : 'flushed/disabled'] === 1, {
        description: 'recovered',
      });
      expect(b!.l1Entries).toBe(kept);
      expect(a!.l1Entries).toBe(kept);
      await a!.set('k', 'v2');
      await waitFor(async () => (await b!.get('k')) === 'v2');
      admin.disconnect();
    },
  );

  it('subscribes again when SUBSCRIBE itself fails on a live connection (channel refused by an ACL)', async () => {
    const admin = replicas.redis.client();
    await admin.call('ACL', 'SETUSER', 'default', 'resetchannels');
    const a = await replicas.replica<string>({}, { ready: false });
    await expect(a.ready(500)).rejects.toMatchObject({ code: 'E_REDIS_UNAVAILABLE' });
    await admin.call('ACL', 'SETUSER', 'default', 'allchannels');
    admin.disconnect();
    await a.ready(5000);
    expect(a.busConnected).toBe(true);
  });

  it('starts without Redis and becomes ready once Redis appears', async () => {
    await replicas.redis.kill();
    const a = await replicas.replica<string>({}, { ready: false });
    expect(a.isReady).toBe(false);
    const loader = countingLoader(() => 'v');
    expect(await a.getOrLoad('k', loader)).toBe('v'); // the source still answers
    await expect(a.ready(200)).rejects.toMatchObject({ code: 'E_REDIS_UNAVAILABLE' });
    await replicas.redis.restart();
    await a.ready(15_000);
    expect(a.l1Entries).toBe(0); // what it loaded unsubscribed is not trusted
  });
});
