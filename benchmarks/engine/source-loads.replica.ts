/**
 * One replica of the source-loads benchmark (see source-loads.ts), run as its own process:
 * reads a key set through `getOrLoad` on a schedule, with a loader that sleeps like a slow
 * source and counts its calls.
 */
import { Registry } from 'prom-client';
import { createCache, type CoherentCache } from '@clustache/cache';
import { serveParent, sleep, sleepUntil, wallClockMs } from '../lib/replica-child';

let cache: CoherentCache | undefined;

interface ReadPlan {
  keys: number;
  /** Wall-clock epoch ms at which this replica reads its first key. */
  startAt: number;
  intervalMs: number;
  loaderMs: number;
}

serveParent(
  {
    async open({
      redisUrl,
      name,
      leases,
      leaseWaitMs,
    }: {
      redisUrl: string;
      name: string;
      leases: boolean;
      leaseWaitMs: number;
    }) {
      await cache?.close();
      cache = createCache({
        name,
        redis: redisUrl,
        replicaId: process.env['REPLICA_NAME'],
        registry: new Registry(),
        loadLease: { enabled: leases, waitMs: leaseWaitMs },
      });
      await cache.ready();
    },
    async read({ keys, startAt, intervalMs, loaderMs }: ReadPlan) {
      if (cache === undefined) throw new Error('send "open" first');
      const reader = cache;
      let loaderCalls = 0;
      const loader = async (key: string) => {
        loaderCalls++;
        await sleep(loaderMs);
        return { key, loadedBy: process.env['REPLICA_NAME'] };
      };
      await sleepUntil(startAt);
      const latencies: Promise<number>[] = [];
      let slipMs = 0;
      for (let i = 0; i < keys; i++) {
        const due = startAt + i * intervalMs;
        const wait = due - wallClockMs();
        if (wait >= 1) await sleep(wait);
        const issued = wallClockMs();
        slipMs = Math.max(slipMs, issued - due);
        latencies.push(reader.getOrLoad(`product:${i}`, loader).then(() => wallClockMs() - issued));
      }
      const latencyMs = await Promise.all(latencies);
      const { subscriptionHits, resyncs, leases } = reader.stats;
      const flushes = resyncs.gap + resyncs.reconnect + resyncs.unreadable;
      return { loaderCalls, subscriptionHits, slipMs, flushes, leases, latencyMs };
    },
  },
  async () => {
    await cache?.close();
  },
);
