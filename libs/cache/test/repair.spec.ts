import { waitFor } from '@clustache/testing';
import type { CoherentCache } from '../src';
import { faulty, SlowResubscription } from './support/faulty-transport';
import { countingLoader, Replicas } from './support/replicas';

type Recovery = [outcome: string, reason: string, messages: number];

/** Every recovery a cache reports, and every drop of its L1. */
function watch(cache: CoherentCache<unknown>) {
  const repairs: Recovery[] = [];
  const flushes: string[] = [];
  cache.on('repair', (...recovery) => repairs.push(recovery));
  cache.on('resync', (reason) => flushes.push(reason));
  return { repairs, flushes };
}

const BUS = { heartbeatMs: 100, maxLagMs: 300 };

/**
 * The replay log: a replica that may have missed messages applies exactly what it missed from
 * the log and keeps the rest of its L1; it drops L1 only when the log cannot prove it complete,
 * and says why.
 */
describe('repair from the replay log', () => {
  let replicas: Replicas;
  beforeEach(async () => (replicas = await Replicas.start()));
  afterEach(() => replicas.cleanup());

  /** Two replicas holding keys 0..count-1, each loaded once and filled on the other by the bus. */
  async function warm(count: number, options: Parameters<Replicas['replica']>[0] = {}) {
    const [a, b] = await replicas.many<string>(2, { bus: BUS, ...options });
    const loader = countingLoader((key) => `v1:${key}`);
    for (let i = 0; i < count; i++) await a!.getOrLoad(`k${i}`, loader);
    await waitFor(() => b!.l1Entries === count, { description: 'b filled from the bus' });
    return { a: a!, b: b!, loader };
  }

  it('pub/sub connections killed while writes continue: repaired, no flush, untouched keys still hit L1', async () => {
    const { a, b } = await warm(50);
    const seen = watch(b as CoherentCache<unknown>);
    const admin = replicas.redis.client();
    await admin.client('KILL', 'TYPE', 'pubsub');
    // Written while b (and a) are resubscribing: b must learn of these from the log.
    await a.set('k1', 'v2:k1');
    await a.delete('k2');
    await waitFor(() => seen.repairs.length > 0 && b.isReady, { description: 'b repaired' });
    admin.disconnect();
    expect(seen.flushes).toEqual([]);
    // Usually the resubscription starts the repair; on a busy machine a's next message can reach
    // b's new subscription first and show the gap, and that repair covers the resubscription too.
    expect(seen.repairs[0]![0]).toBe('repaired');
    expect(['reconnect', 'gap']).toContain(seen.repairs[0]![1]);
    const source = countingLoader((key) => `source:${key}`);
    expect(await b.lookup('k1', source)).toEqual({ value: 'v2:k1', from: 'subscription' }); // the value rode the log
    expect(await b.lookup('k2', source)).toEqual({ value: 'source:k2', from: 'source' });
    for (let i = 3; i < 50; i++) expect((await b.lookup(`k${i}`, source)).from).toBe('subscription');
    expect(source.calls).toEqual(['k2']);
  });

  it('replays a put whose value is larger than replayLog.maxValueBytes by dropping that key', async () => {
    const { a, b } = await warm(3, { bus: { ...BUS, replayLog: { maxValueBytes: 4 } } });
    const admin = replicas.redis.client();
    await admin.client('KILL', 'TYPE', 'pubsub');
    await a.set('k1', 'a value longer than four bytes');
    await waitFor(() => b.stats.repairs['repaired/reconnect'] === 1 && b.isReady, {
      description: 'b repaired',
    });
    admin.disconnect();
    const source = countingLoader((key) => `source:${key}`);
    expect(await b.lookup('k1', source)).toEqual({ value: 'source:k1', from: 'source' });
    expect((await b.lookup('k0', source)).from).toBe('subscription');
  });

  it('a message lost on the way (a sequence gap): repaired from the log, no flush', async () => {
    const fault = faulty();
    const [a] = await replicas.many<string>(1, { bus: BUS });
    const b = await replicas.replica<string>({ bus: { ...BUS, wrapTransport: fault.bus.wrapTransport } });
    const seen = watch(b as CoherentCache<unknown>);
    await a!.set('x', 'one');
    await waitFor(() => b.l1Entries === 1, { description: 'x reached b' });
    fault.transport().drop(1);
    await a!.delete('x'); // lost on the way to b
    await a!.set('y', 'y1'); // reveals the gap
    await waitFor(() => seen.repairs.length > 0, { description: 'b repaired' });
    expect(seen.repairs[0]!.slice(0, 2)).toEqual(['repaired', 'gap']);
    expect(seen.flushes).toEqual([]);
    await waitFor(() => b.isReady, { description: 'b answering' });
    expect((await b.lookup('x', async () => 'from-source')).value).toBe('from-source');
    expect(await b.lookup('y', async () => 'from-source')).toEqual({ value: 'y1', from: 'subscription' });
  });

  it('flushes, saying "trimmed", when the log no longer reaches back to what was missed', async () => {
    const fault = faulty();
    const options = { bus: { ...BUS, replayLog: { maxLength: 1 } } };
    const [a] = await replicas.many<string>(1, options);
    const b = await replicas.replica<string>({
      bus: { ...options.bus, wrapTransport: fault.bus.wrapTransport },
    });
    const seen = watch(b as CoherentCache<unknown>);
    await a!.set('x', 'one');
    await waitFor(() => b.l1Entries === 1, { description: 'x reached b' });
    fault.transport().drop(300);
    for (let i = 0; i < 300; i++) await a!.set(`many${i}`, 'v'); // far past MAXLEN ~ 1
    await waitFor(() => seen.repairs.some(([outcome]) => outcome === 'flushed'), {
      timeoutMs: 15_000,
      description: 'b flushed',
    });
    expect(seen.repairs.find(([outcome]) => outcome === 'flushed')!.slice(0, 2)).toEqual([
      'flushed',
      'trimmed',
    ]);
    expect(seen.flushes).toContain('trimmed');
    expect(b.l1Entries).toBe(0);
  });

  it('flushes, saying "log-lost", after a restart of a Redis without persistence', async () => {
    const { b } = await warm(5);
    const seen = watch(b as CoherentCache<unknown>);
    await replicas.redis.kill();
    await replicas.redis.restart();
    await waitFor(() => seen.repairs.length > 0 && b.isReady, {
      timeoutMs: 10_000,
      description: 'b recovered',
    });
    expect(seen.repairs[0]!.slice(0, 2)).toEqual(['flushed', 'log-lost']);
    expect(seen.flushes).toEqual(['log-lost']);
    expect(b.l1Entries).toBe(0);
  });

  it('flushes, saying "unlogged", when a peer publish failed (it never reached the log)', async () => {
    const fault = faulty();
    const a = await replicas.replica<string>({ bus: { ...BUS, wrapTransport: fault.bus.wrapTransport } });
    const b = await replicas.replica<string>({ bus: BUS });
    const seen = watch(b as CoherentCache<unknown>);
    await a.set('x', 'one');
    await waitFor(() => b.l1Entries === 1, { description: 'x reached b' });
    fault.transport().failNextPublishes(1);
    await a.delete('x'); // its invalidation is lost for good
    await a.set('y', 'y1');
    await waitFor(() => seen.flushes.length > 0, { description: 'b flushed' });
    expect(seen.flushes).toEqual(['unlogged']);
    expect(seen.repairs.map(([outcome, reason]) => `${outcome}/${reason}`)).toEqual(['flushed/unlogged']);
  });

  it('flushes, saying "unlogged", when a peer\'s publish failed while we were resubscribing (not in the log either)', async () => {
    // The real transport, with its resubscription held back 600 ms: the peer's failed publish
    // happens while this replica is away, so only the peer's next heartbeat can show it.
    const a = await replicas.replica<string>({
      bus: { ...BUS, wrapTransport: (inner) => new SlowResubscription(inner, 600) },
    });
    const fault = faulty();
    const b = await replicas.replica<string>({ bus: { ...BUS, wrapTransport: fault.bus.wrapTransport } });
    await b.set('x', 'one');
    await waitFor(() => a.l1Entries === 1, { description: 'x reached a' });
    const seen = watch(a as CoherentCache<unknown>);
    const admin = replicas.redis.client();
    await admin.client('KILL', 'TYPE', 'pubsub');
    admin.disconnect();
    fault.transport().failNextPublishes(1);
    expect(await b.delete('x')).toEqual({ propagated: false }); // lost for good: never logged
    // a must not answer 'one' from L1 once back: it waits to hear b, whose heartbeat shows the loss
    await waitFor(() => seen.repairs.length > 0, { timeoutMs: 15_000, description: 'a recovered' });
    expect(seen.repairs.map(([outcome, reason]) => `${outcome}/${reason}`)).toEqual(['flushed/unlogged']);
    expect((await a.lookup('x', async () => 'from-source')).value).toBe('from-source');
  });

  it('with the log off, every possible loss flushes, as before (reason "disabled" in the repairs metric)', async () => {
    const { b } = await warm(5, { bus: { ...BUS, replayLog: { enabled: false } } });
    const seen = watch(b as CoherentCache<unknown>);
    const admin = replicas.redis.client();
    await admin.client('KILL', 'TYPE', 'pubsub');
    admin.disconnect();
    await waitFor(() => seen.flushes.length > 0 && b.isReady, { description: 'b flushed' });
    expect(seen.flushes).toEqual(['reconnect']);
    expect(b.l1Entries).toBe(0);
    const metrics = await b.registry.metrics();
    expect(metrics).toMatch(
      /clustache_cache_l1_repairs_total\{cache="test",outcome="flushed",reason="disabled"\} 1/,
    );
  });

  it('exports repairs by outcome and reason, messages applied and their duration', async () => {
    const { a, b } = await warm(3);
    const admin = replicas.redis.client();
    await admin.client('KILL', 'TYPE', 'pubsub');
    await a.set('k0', 'v2');
    admin.disconnect();
    await waitFor(() => b.stats.repairs['repaired/reconnect'] > 0 && b.isReady, { description: 'repaired' });
    const { repairs, repairMessages } = b.stats;
    const recoveries = Object.values(repairs).reduce((sum, count) => sum + count, 0);
    const metrics = await b.registry.metrics();
    expect(metrics).toContain(
      `clustache_cache_l1_repairs_total{cache="test",outcome="repaired",reason="reconnect"} ${repairs['repaired/reconnect']}`,
    );
    expect(metrics).toContain(
      'clustache_cache_l1_repairs_total{cache="test",outcome="flushed",reason="trimmed"} 0',
    );
    // every recovery is timed, repaired or flushed
    expect(metrics).toContain(`clustache_cache_l1_repair_duration_seconds_count{cache="test"} ${recoveries}`);
    expect(metrics).toContain(`clustache_cache_l1_repair_messages_total{cache="test"} ${repairMessages}`);
    expect(repairMessages).toBeGreaterThan(0);
  });

  describe('warm start (bus.replayLog.warmEntries)', () => {
    const WARM = { bus: { ...BUS, replayLog: { warmEntries: 100 } } };

    it('fills a new replica from the newest log entries, invalidations included, without the source', async () => {
      const [a] = await replicas.many<string>(1, { bus: BUS });
      for (let i = 0; i < 10; i++) await a!.set(`k${i}`, `v${i}`);
      await a!.delete('k5');
      await new Promise((resolve) => setTimeout(resolve, 20)); // the newest values were read well after the oldest entry was sent
      await a!.set('k9', 'v9b');
      const c = await replicas.replica<string>(WARM, { ready: false });
      const warmed = new Promise<number>((resolve) => c.once('warmed', resolve));
      await c.ready();
      expect(await warmed).toBeGreaterThan(0);
      await waitFor(() => c.isReady, { description: 'c answering' });
      const source = countingLoader((key) => `source:${key}`);
      expect(await c.lookup('k9', source)).toEqual({ value: 'v9b', from: 'subscription' });
      expect(await c.lookup('k5', source)).toEqual({ value: 'source:k5', from: 'source' });
      expect(source.calls).toEqual(['k5']);
      expect(await c.registry.metrics()).toMatch(
        /clustache_cache_l1_warm_messages_total\{cache="test"\} [1-9]/,
      );
    });

    it('leaves out a value read before the first entry it read was sent (its overtaking delete may be older)', async () => {
      const [a] = await replicas.many<string>(1, { bus: BUS });
      await a!.getOrLoad('slow', async () => {
        await new Promise((resolve) => setTimeout(resolve, 50)); // read 50 ms before its fill is sent
        return 'read-early';
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      await a!.set('late', 'written-after');
      const c = await replicas.replica<string>(
        { bus: { ...BUS, replayLog: { warmEntries: 2 } } },
        { ready: false },
      );
      const warmed = new Promise<number>((resolve) => c.once('warmed', resolve));
      await c.ready();
      expect(await warmed).toBe(1);
      await waitFor(() => c.isReady, { description: 'c answering' });
      const source = countingLoader(() => 'from-source');
      expect((await c.lookup('late', source)).from).toBe('subscription');
      expect(await c.lookup('slow', source)).toEqual({ value: 'from-source', from: 'source' });
    });
  });
});
