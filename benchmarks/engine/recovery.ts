/**
 * Recovery after a pub/sub blip (issue 12): what a fleet pays when every replica's bus
 * subscription drops for about 2 s while writes go on.
 *
 * Why: a replica that may have missed bus messages used to drop its whole L1, so every Redis
 * blip turned the fleet cold at once: the source saw the whole hot set again and the hit ratio
 * collapsed. With the replay log a replica applies what it missed instead.
 * How: replica processes (10) on the runner's redis-server hold the same warm keys (10,000; one
 * replica loads them, its peers fill from the bus). Each reads random keys at a steady rate
 * through `getOrLoad`, whose loader reads a source of record on a second redis-server (so the
 * cache's Redis carries only the cache) and counts its calls. Then every subscriber connection is
 * killed with `CLIENT KILL TYPE pubsub` and kept away for 2 s (`maxclients` turns reconnections
 * away; see pubsub-blip.ts), while one replica rewrites 1 % of the keys (source first, then `set`, or `delete`
 * every 4th write). Once each replica's subscription is back, it reads on for 8 s. Variants:
 * repair on, repair off (the behaviour before issue 12) and leases off; the stale-read oracle
 * checks every read of a written key against the writer's record.
 *
 * `--replicas n --keys n --rate n --blip-ms n --post-ms n --loader-ms n` scale it down for a
 * smoke run; only the issue's set-up (10 replicas, 10,000 keys) writes docs/benchmarks.md.
 */
import { loadavg } from 'node:os';
import Redis from 'ioredis';
import { RedisServer, waitFor } from '@clustache/testing';
import { hasFlag, numberFlag } from '../lib/flags';
import { blipPubSub } from '../lib/pubsub-blip';
import { readRedis, streamKeys, unlinkMatching } from '../lib/redis-info';
import { sleepUntil, wallClockMs } from '../lib/replica-child';
import { ReplicaProcess, stopAll } from '../lib/replica-process';
import type { Scenario } from '../lib/scenario';
import { measureLogCost } from './recovery.log-cost';
import type { BackReport, ReadReport, WarmReport, WriteReport } from './recovery.protocol';
import { recoveryMarkdown, recoverySummary } from './recovery.table';
import type { Setup, Variant, VariantRun } from './recovery.variant';

/** In the order of the table. */
const VARIANTS: Variant[] = [
  { id: 'repair-on', label: 'repair on', repair: true, leases: true },
  { id: 'repair-off', label: 'repair off (before issue 12)', repair: false, leases: true },
  { id: 'leases-off', label: 'repair off, load leases off', repair: false, leases: false },
];
/** The order they run in: the first runs on the least warmed-up processes, so not the one the target is about. */
const RUN_ORDER: Variant['id'][] = ['repair-off', 'repair-on', 'leases-off'];
/** A replica whose subscription is not back this long after the blip is reported as stuck, and left out of the windows. */
const BACK_TIMEOUT_MS = 15_000;
const COST_ROUNDS = 5;
const COST_PER_ROUND = 2000;

function setupFromFlags(): Setup {
  const replicas = numberFlag('--replicas', 10);
  const keys = numberFlag('--keys', 10_000);
  const postMs = numberFlag('--post-ms', 8000);
  if (postMs < 5000)
    throw new Error(`flag --post-ms must be at least 5000 (the loads are counted over 5 s); got ${postMs}`);
  return {
    replicas,
    keys,
    perSecond: numberFlag('--rate', 100),
    writeFraction: 0.01,
    writeEveryMs: 10,
    deleteEvery: 4,
    blipMs: numberFlag('--blip-ms', 2000),
    killEveryMs: 50,
    preMs: 2000,
    postMs,
    loaderMs: numberFlag('--loader-ms', 10),
    heartbeatMs: 250,
    maxLagMs: 750,
    bucketMs: 10,
    issueSetup: replicas === 10 && keys === 10_000 && !hasFlag('--print-only'),
  };
}

export const recovery: Scenario = {
  id: 'recovery',
  title: 'Recovery after a pub/sub blip: repair from the replay log vs dropping L1',
  block: 'recovery',
  async run({ redisUrl, progress }) {
    const setup = setupFromFlags();
    const loadBefore = loadavg()[0]!;
    const source = await RedisServer.start();
    const admin = new Redis(redisUrl);
    const sourceClient = source.client();
    const pool: ReplicaProcess[] = [];
    try {
      pool.push(
        ...(await Promise.all(
          Array.from({ length: setup.replicas }, (_, i) =>
            ReplicaProcess.spawn('engine/recovery.replica.ts', `replica-${i + 1}`),
          ),
        )),
      );
      progress(`${pool.length} replicas up; ${setup.keys} keys, ${setup.perSecond} reads/s each`);
      const runs: VariantRun[] = [];
      for (const id of RUN_ORDER) {
        const variant = VARIANTS.find((v) => v.id === id)!;
        const context = { setup, pool, admin, sourceClient, redisUrl, sourceUrl: source.url };
        const run = await runVariant(variant, context);
        progress(recoverySummary(setup, [run]));
        runs.push(run);
      }
      runs.sort((a, b) => VARIANTS.indexOf(a.variant) - VARIANTS.indexOf(b.variant));
      const cost = await measureLogCost(pool[0]!, admin, redisUrl, {
        rounds: COST_ROUNDS,
        perRound: COST_PER_ROUND,
        heartbeatMs: setup.heartbeatMs,
      });
      progress(
        `log cost: ${cost.cpuUs.log.map((us) => us.toFixed(1)).join(' ')} µs per message with the log, ${cost.cpuUs.plain.map((us) => us.toFixed(1)).join(' ')} without`,
      );
      const machine = { loadBefore, loadAfter: loadavg()[0]! };
      return {
        markdown: recoveryMarkdown(setup, runs, cost, machine, this.title, this.id),
        summary: recoverySummary(setup, runs),
        ...(setup.issueSetup ? {} : { printOnly: true }),
      };
    } finally {
      await stopAll(pool);
      admin.disconnect();
      sourceClient.disconnect();
      await source.kill();
    }
  },
};

interface Context {
  setup: Setup;
  pool: ReplicaProcess[];
  admin: Redis;
  sourceClient: Redis;
  redisUrl: string;
  sourceUrl: string;
}

async function runVariant(variant: Variant, context: Context): Promise<VariantRun> {
  const { setup, pool, admin, sourceClient } = context;
  const [writer] = pool as [ReplicaProcess];
  const name = `bench-recovery-${variant.id}`;
  const keysOfCache = `clustache:*${name}*`;
  await unlinkMatching(admin, keysOfCache);
  await sourceClient.flushall();
  await Promise.all(
    pool.map((replica) =>
      replica.request('open', {
        redisUrl: context.redisUrl,
        sourceUrl: context.sourceUrl,
        name,
        keys: setup.keys,
        repair: variant.repair,
        leases: variant.leases,
        heartbeatMs: setup.heartbeatMs,
        maxLagMs: setup.maxLagMs,
        loaderMs: setup.loaderMs,
      }),
    ),
  );

  // Warm: one replica loads every key, the others fill from its bus messages.
  const before = await readRedis(admin);
  const warmStarted = performance.now();
  const warm = await writer.request<WarmReport>('warm', { keys: setup.keys, concurrency: 64 });
  await waitFor(
    async () =>
      (await Promise.all(pool.map((replica) => replica.request<number>('l1Entries')))).every(
        (entries) => entries >= setup.keys,
      ),
    { timeoutMs: 120_000, intervalMs: 100, description: `every replica holding ${setup.keys} keys` },
  );
  const warmMs = performance.now() - warmStarted;
  const warmed = await readRedis(admin);

  // Read, blip and write, read on.
  const count = Math.max(1, Math.round(setup.keys * setup.writeFraction));
  const written = Array.from({ length: count }, (_, i) => Math.floor((i * setup.keys) / count));
  const startAt = wallClockMs() + 300;
  const reading = pool.map((replica) =>
    replica.request<ReadReport>('read', {
      startAt,
      keys: setup.keys,
      perSecond: setup.perSecond,
      written,
      bucketMs: setup.bucketMs,
    }),
  );
  for (const read of reading) read.catch(() => undefined); // awaited below; a failure elsewhere must not leave it unhandled
  await sleepUntil(startAt + setup.preMs);
  const writing = writer.request<WriteReport>('write', {
    written,
    intervalMs: setup.writeEveryMs,
    untilAt: wallClockMs() + setup.blipMs,
    deleteEvery: setup.deleteEvery,
  });
  writing.catch(() => undefined);
  const blip = await blipPubSub(admin, setup.blipMs, setup.killEveryMs);
  const backs = await Promise.all(
    pool.map((replica) =>
      replica.request<BackReport>('blipOver', {
        lastKillAt: blip.lastKillAt,
        postMs: setup.postMs,
        timeoutMs: BACK_TIMEOUT_MS,
      }),
    ),
  );
  const [writes, reports] = await Promise.all([writing, Promise.all(reading)]);
  const end = await readRedis(admin);

  const [stream] = await streamKeys(admin, keysOfCache);
  const log =
    stream === undefined
      ? undefined
      : {
          key: stream,
          entries: await admin.xlen(stream),
          bytes: Number(await admin.call('MEMORY', 'USAGE', stream, 'SAMPLES', '0')),
        };
  await Promise.all(pool.map((replica) => replica.request('close')));
  await unlinkMatching(admin, keysOfCache);
  return {
    variant,
    warm,
    warmMs,
    redis: { before, warmed, end },
    log,
    blip,
    startAt,
    replicas: reports.flatMap((report, i) => {
      const back = backs[i]!;
      return 'backAt' in back ? [{ report, backAt: back.backAt }] : [];
    }),
    stuck: backs.flatMap((back, i) => ('stuck' in back ? [`${pool[i]!.name}: ${back.stuck}`] : [])),
    writes,
  };
}
