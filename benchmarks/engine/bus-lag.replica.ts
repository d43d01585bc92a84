/**
 * One replica of the publish→apply lag benchmark (see bus-lag.ts), run as its own process.
 * As the writer it publishes values at a steady rate — through the cache (alternating `set` and
 * `getOrLoad` fills) or, for the floor, as bare Redis PUBLISHes of the same JSON; as a reader it
 * records each value's lag (the cache's `applied` event, or its own stamp for the bare messages).
 */
import Redis from 'ioredis';
import { Registry } from 'prom-client';
import { createCache, type CoherentCache } from '@clustache/cache';
import { serveParent, sleep, wallClockMs } from '../lib/replica-child';

type Path = 'cache' | 'raw';

let cache: CoherentCache | undefined;
let raw: { publisher: Redis; subscriber: Redis; channel: string } | undefined;
const lags: Record<Path, number[]> = { cache: [], raw: [] };

const value = (i: number) => ({
  id: i,
  name: `user ${i}`,
  email: `user${i}@example.com`,
  bio: 'x'.repeat(120),
});

async function openRaw(redisUrl: string, channel: string) {
  const publisher = new Redis(redisUrl);
  const subscriber = new Redis(redisUrl);
  subscriber.on('message', (_channel: string, payload: string) => {
    const { at } = JSON.parse(payload) as { at: number };
    lags.raw.push(wallClockMs() - at);
  });
  await subscriber.subscribe(channel);
  return { publisher, subscriber, channel };
}

serveParent(
  {
    async open({ redisUrl, name }: { redisUrl: string; name: string }) {
      cache = createCache({
        name,
        redis: redisUrl,
        replicaId: process.env['REPLICA_NAME'],
        registry: new Registry(),
      });
      cache.on('applied', (message, lagMs) => {
        if (message.type === 'put') lags.cache.push(lagMs);
      });
      raw = await openRaw(redisUrl, `${name}:raw`);
      await cache.ready();
    },
    async write({
      path,
      from,
      count,
      perSecond,
    }: {
      path: Path;
      from: number;
      count: number;
      perSecond: number;
    }) {
      if (cache === undefined || raw === undefined) throw new Error('send "open" first');
      const writer = cache;
      const { publisher, channel } = raw;
      const interval = 1000 / perSecond;
      const start = wallClockMs();
      const writes: Promise<unknown>[] = [];
      for (let i = 0; i < count; i++) {
        const wait = start + i * interval - wallClockMs();
        if (wait >= 1) await sleep(wait);
        const key = `profile:${from + i}`;
        if (path === 'raw')
          writes.push(publisher.publish(channel, JSON.stringify({ at: wallClockMs(), k: key, d: value(i) })));
        else writes.push(i % 2 === 0 ? writer.set(key, value(i)) : writer.getOrLoad(key, () => value(i)));
      }
      await Promise.all(writes);
      return { seconds: (wallClockMs() - start) / 1000 };
    },
    received: ({ path }: { path: Path }) => lags[path].length,
    take({ path }: { path: Path }) {
      const taken = lags[path];
      lags[path] = [];
      return taken;
    },
    gaps: () => cache?.stats.gaps ?? 0,
    /** CPU microseconds (user + system) this process has used so far. */
    cpu() {
      const { user, system } = process.cpuUsage();
      return user + system;
    },
  },
  async () => {
    await cache?.close();
    raw?.publisher.disconnect();
    raw?.subscriber.disconnect();
  },
);
