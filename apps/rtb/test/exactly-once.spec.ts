import Redis from 'ioredis';
import { RedisServer, waitFor } from '@clustache/testing';
import { RedisConnection, silentLogger } from '@clustache/service';
import { Registry } from 'prom-client';
import { Aggregator } from '../src/aggregator/aggregator';
import { AggregatorMetrics } from '../src/aggregator/metrics';
import { BucketStore } from '../src/store/bucket-store';
import { RTB_KEYS } from '../src/store/keys';
import { parseStreamEntry, type StreamedTag } from '../src/store/tag-stream';

const MINUTE = Date.UTC(2022, 2, 1);
const RETENTION_MS = 10 * 60_000;

/**
 * The aggregators' promise: every tag on the stream lands in its bucket exactly once, whichever
 * aggregator applies it, however often, and whatever died in between.
 */
describe('applying tags exactly once', () => {
  let redis: RedisServer;
  let client: Redis;
  const connections: RedisConnection[] = [];
  const connect = () => {
    const connection = RedisConnection.connect(redis.url, 'background', silentLogger);
    connections.push(connection);
    return connection;
  };

  beforeEach(async () => {
    redis = await RedisServer.start();
    client = new Redis(redis.url, { disableClientInfo: true });
    await client.xgroup('CREATE', RTB_KEYS.stream, RTB_KEYS.group, '0', 'MKSTREAM');
  });

  afterEach(async () => {
    await Promise.all(connections.splice(0).map((connection) => connection.close()));
    client.disconnect();
    await redis.kill();
  });

  async function addTags(count: number, minute = MINUTE): Promise<void> {
    const pipeline = client.pipeline();
    for (let i = 0; i < count; i++)
      pipeline.xadd(
        RTB_KEYS.stream,
        '*',
        'm',
        String(minute),
        'a',
        'V',
        'o',
        `o${i % 3}`,
        'b',
        'b',
        'c',
        'c',
        'p',
        '10',
      );
    await pipeline.exec();
  }

  /** Delivers up to `count` tags to `consumer` without applying them: an aggregator that then stalls or dies. */
  async function deliver(consumer: string, count: number): Promise<StreamedTag[]> {
    const reply = (await client.xreadgroup(
      'GROUP',
      RTB_KEYS.group,
      consumer,
      'COUNT',
      count,
      'STREAMS',
      RTB_KEYS.stream,
      '>',
    )) as [string, [string, string[]][]][] | null;
    return (reply?.[0]?.[1] ?? []).map(([id, fields]) => parseStreamEntry(id, fields)!);
  }

  async function totals(store: BucketStore, origin?: string) {
    const answer = await store.read({
      range: { fromMs: MINUTE, toMs: MINUTE + 60_000 },
      action: 'VIEW',
      filters: origin === undefined ? {} : { origin },
      aggregates: ['COUNT', 'SUM_PRICE'],
    });
    return answer.rows[0]!.slice(-2);
  }

  it('counts a tag applied twice once: the second apply finds it acknowledged', async () => {
    await addTags(30);
    const tags = await deliver('slow', 30);
    const store = new BucketStore(connect(), RETENTION_MS);
    expect(await store.apply(tags)).toEqual({ applied: 30, duplicates: 0, expired: 0 });
    expect(await store.apply(tags)).toEqual({ applied: 0, duplicates: 30, expired: 0 });
    expect(await totals(store)).toEqual(['30', '300']);
    expect(await totals(store, 'o1')).toEqual(['10', '100']);
  });

  it('lets another aggregator take over a stalled one, and the stalled one then adds nothing', async () => {
    await addTags(50);
    const stalled = await deliver('stalled', 50);
    const metrics = new AggregatorMetrics(new Registry());
    const store = new BucketStore(connect(), RETENTION_MS);
    const taker = new Aggregator(connect(), store, metrics, silentLogger, {
      consumer: 'taker',
      claimIdleMs: 200,
      blockMs: 50,
    });
    taker.start();
    try {
      await waitFor(async () => (await metrics.claimed.get()).values[0]!.value === 50, {
        timeoutMs: 15_000,
        description: 'the taker to claim the stalled tags',
      });
    } finally {
      await taker.stop();
    }
    expect(await totals(store)).toEqual(['50', '500']);
    expect(await store.apply(stalled)).toEqual({ applied: 0, duplicates: 50, expired: 0 });
    expect(await totals(store)).toEqual(['50', '500']);
  });

  it('has a restarted aggregator finish what it was given before it died', async () => {
    await addTags(20);
    await deliver('worker-0', 20); // given, never applied: the process died
    const metrics = new AggregatorMetrics(new Registry());
    const store = new BucketStore(connect(), RETENTION_MS);
    const restarted = new Aggregator(connect(), store, metrics, silentLogger, {
      consumer: 'worker-0',
      blockMs: 50,
    });
    restarted.start();
    try {
      await waitFor(async () => (await totals(store))[0] === '20', {
        timeoutMs: 15_000,
        description: 'the pending tags',
      });
    } finally {
      await restarted.stop();
    }
    expect((await metrics.claimed.get()).values[0]!.value).toBe(0);
    expect(await client.xpending(RTB_KEYS.stream, RTB_KEYS.group)).toEqual([0, null, null, null]);
  });

  it('acknowledges but does not store tags older than the retention window, and trims old buckets', async () => {
    const store = new BucketStore(connect(), RETENTION_MS);
    await addTags(5, MINUTE);
    await store.apply(await deliver('a', 5));
    const later = MINUTE + RETENTION_MS; // the first minute is now just outside the window
    await addTags(5, later);
    await addTags(5, MINUTE);
    expect(await store.apply(await deliver('a', 10))).toEqual({ applied: 5, duplicates: 0, expired: 5 });
    expect(await store.trim()).toBe(1);
    expect(await totals(store)).toEqual(['0', '0']);
    expect(await client.exists(`${RTB_KEYS.bucketPrefix}${MINUTE}:V`)).toBe(0);
    expect(await client.zcard(RTB_KEYS.bucketIndex)).toBe(1);
  });
});
