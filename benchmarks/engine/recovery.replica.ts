/**
 * One replica of the recovery benchmark (see recovery.ts), run as its own process: a cache whose
 * loader reads the shared source of record and counts its calls, a reader that `getOrLoad`s
 * random keys on schedule and counts hits, misses and loads per bucket, a watch on the bus
 * subscription's comings and goings, and, on the first replica, the writer.
 */
import Redis from 'ioredis';
import { Registry } from 'prom-client';
import { createCache, type CoherentCache } from '@clustache/cache';
import { jsonLogger } from '@clustache/service';
import { snapshotMetrics } from '../lib/metric-snapshot';
import { serveParent, sleep, sleepUntil, wallClockMs } from '../lib/replica-child';
import type {
  BackReport,
  BlipOver,
  OpenRequest,
  ReadPlan,
  ReadReport,
  WarmReport,
  WriteReport,
  WriteRequest,
} from './recovery.protocol';
import { ReadRun } from './recovery.read-run';

/** What the source of record holds and the cache caches; `v` is the write that produced it (0: never written). */
interface Product {
  key: string;
  v: number;
  title: string;
  description: string;
}

const SOURCE_HASH = 'products';
const product = (key: string, v: number): Product => ({
  key,
  v,
  title: `Product ${key}`,
  description: 'x'.repeat(64),
});

let replica:
  | { cache: CoherentCache<Product>; registry: Registry; source: Redis; loaderMs: number }
  | undefined;
let run: ReadRun<Product> | undefined;
let version = 0;
/** The engine's last warnings, to explain a replica that does not come back. */
const warnings: string[] = [];
const logger = jsonLogger('warn', (line) => {
  warnings.push(line);
  if (warnings.length > 12) warnings.shift();
  return true;
});
/** Two caches side by side, one logging and one not, for the log's cost per message. */
let costCaches: Record<'log' | 'plain', CoherentCache<Product>> | undefined;

/** Options of a cache with the replay log on or off. */
function withLog(enabled: boolean) {
  // Spread, not written inline: the option is type-checked where the engine has it, and an engine
  // without it (before issue 12) ignores it, so the repair-off variants still run there.
  return { replayLog: { enabled } };
}

function opened() {
  if (replica === undefined) throw new Error('send "open" first');
  return replica;
}

/** The counting loader: reads the source of record, as slowly as `loaderMs` says. */
async function load(key: string): Promise<Product> {
  const { source, loaderMs } = opened();
  run?.loaded(wallClockMs());
  const json = await source.hget(SOURCE_HASH, key);
  if (loaderMs > 0) await sleep(loaderMs);
  return json === null ? product(key, 0) : (JSON.parse(json) as Product);
}

async function close(): Promise<void> {
  run?.stop();
  const closing = replica;
  replica = undefined;
  await closing?.cache.close();
  closing?.source.disconnect();
}

serveParent(
  {
    async open(request: OpenRequest) {
      await close();
      const registry = new Registry();
      const cache = createCache<Product>({
        name: request.name,
        redis: request.redisUrl,
        replicaId: process.env['REPLICA_NAME'],
        registry,
        logger,
        l1: { maxEntries: request.keys * 2 },
        bus: { heartbeatMs: request.heartbeatMs, maxLagMs: request.maxLagMs, ...withLog(request.repair) },
        loadLease: { enabled: request.leases },
      });
      replica = { cache, registry, source: new Redis(request.sourceUrl), loaderMs: request.loaderMs };
      version = 0;
      await cache.ready();
    },
    /** Loads every key through this replica (its peers fill theirs from the bus). */
    async warm({ keys, concurrency }: { keys: number; concurrency: number }): Promise<WarmReport> {
      const { cache } = opened();
      const [loadsBefore, putsBefore] = [cache.stats.sourceFills, cache.stats.published.put];
      let next = 0;
      const worker = async () => {
        while (next < keys) await cache.getOrLoad(`product:${next++}`, load);
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      return { loads: cache.stats.sourceFills - loadsBefore, puts: cache.stats.published.put - putsBefore };
    },
    l1Entries: () => opened().cache.l1Entries,
    async read(plan: ReadPlan): Promise<ReadReport> {
      const { cache, registry } = opened();
      run = new ReadRun(cache, plan, await snapshotMetrics(registry, 'clustache_'));
      await sleepUntil(plan.startAt);
      await run.readUntilStopped(load);
      return run.report(await snapshotMetrics(registry, 'clustache_'));
    },
    /**
     * Waits for the subscription to be back after the blip, then lets the reader go on `postMs`;
     * answers when it came back, or why it did not.
     */
    async blipOver({ lastKillAt, postMs, timeoutMs }: BlipOver): Promise<BackReport> {
      if (run === undefined) throw new Error('send "read" first');
      const backAt = await run.backAfter(lastKillAt, timeoutMs);
      if (backAt === undefined) {
        run.stop();
        return {
          stuck: `not subscribed ${timeoutMs / 1000} s after the last kill; the engine's last warnings: ${warnings.join('').trim()}`,
        };
      }
      run.stopAt(backAt + postMs);
      return { backAt };
    },
    /** The writer: updates the source of record, then the cache (`set`, or `delete` every n-th write). */
    async write({ written, intervalMs, untilAt, deleteEvery }: WriteRequest): Promise<WriteReport> {
      const { cache, source } = opened();
      const report: WriteReport = { writes: [], sets: 0, deletes: 0, unpropagated: 0 };
      const startedAt = wallClockMs();
      for (let n = 0; wallClockMs() < untilAt; n++) {
        const index = written[n % written.length]!;
        const key = `product:${index}`;
        const value = product(key, ++version);
        await source.hset(SOURCE_HASH, key, JSON.stringify(value));
        const invalidate = n % deleteEvery === deleteEvery - 1;
        const { propagated } = invalidate ? await cache.delete(key) : await cache.set(key, value);
        report.writes.push([index, value.v, wallClockMs(), invalidate ? 'delete' : 'set']);
        report[invalidate ? 'deletes' : 'sets']++;
        if (!propagated) report.unpropagated++;
        await sleep(Math.max(0, startedAt + (n + 1) * intervalMs - wallClockMs()));
      }
      return report;
    },
    async costOpen({ redisUrl, name, heartbeatMs }: { redisUrl: string; name: string; heartbeatMs: number }) {
      const open = (log: boolean) =>
        createCache<Product>({
          name: `${name}-${log ? 'log' : 'plain'}`,
          redis: redisUrl,
          registry: new Registry(),
          bus: { heartbeatMs, ...withLog(log) },
        });
      costCaches = { log: open(true), plain: open(false) };
      await Promise.all([costCaches.log.ready(), costCaches.plain.ready()]);
    },
    /** `count` writes through the logging or the plain cache, 32 at a time; answers the puts published. */
    async costBatch({ log, from, count }: { log: boolean; from: number; count: number }): Promise<number> {
      if (costCaches === undefined) throw new Error('send "costOpen" first');
      const cache = costCaches[log ? 'log' : 'plain'];
      const before = cache.stats.published.put;
      let next = from;
      const worker = async () => {
        while (next < from + count) {
          const key = `cost:${next++}`;
          await cache.set(key, product(key, next));
        }
      };
      await Promise.all(Array.from({ length: 32 }, worker));
      return cache.stats.published.put - before;
    },
    async costClose() {
      await Promise.all([costCaches?.log.close(), costCaches?.plain.close()]);
      costCaches = undefined;
    },
    close,
  },
  async () => {
    await close();
    await Promise.all([costCaches?.log.close(), costCaches?.plain.close()]);
  },
);
