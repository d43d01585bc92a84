import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisCluster, RedisServer, TcpProxy, waitFor } from '@clustache/testing';
import type { CacheOptions, CoherentCache } from '../src';
import { FailoverRig } from './support/failover-rig';
import { describeRun, runFault, type FaultRunResult, type FleetMember } from './support/fault-run';
import { faulty, type FaultyTransport } from './support/faulty-transport';
import { countRecoveries } from './support/recovery-counters';
import { RemoteReplica } from './support/remote-replica';
import { CacheReplicas } from './support/replicas';
import { Workload, type WorkloadReplica } from './support/workload';

/** Bus settings of the table: heartbeats every 100 ms, staleness bound (maxLagMs) 300 ms. */
const HEARTBEAT_MS = 100;
const MAX_LAG_MS = 3 * HEARTBEAT_MS;
/**
 * What every scenario promises: no read older than a write completed this long before it. The
 * engine's bound is `maxLagMs` plus one heartbeat (silence is checked once a heartbeat), plus slack for timers.
 */
const STALE_BOUND_MS = MAX_LAG_MS + HEARTBEAT_MS + 30;
/** The clock skew the engine is told to allow, and how far the skewed replica's clock is off: far beyond it. */
const CLOCK_SKEW_MS = 10;
const SKEWED_BY_MS = 1500;

/**
 * Issue 12 (recovery without a cold cache): once replicas repair what they missed from the
 * replay log, each row's `expectRepair` and `expectFlush` are asserted too. Until then they are
 * only reported. The lead flips this to true when the engine work lands.
 */
const REPAIR_ASSERTED: boolean = true;

/** How the third replica of a single-server row runs; the other two are plain, in this process. */
type ThirdReplica =
  /** In this process, its bus transport wrapped by a fault injector (`slow`). */
  | 'faulty'
  /** In this process, connected to Redis through a TCP proxy (`proxy`). */
  | 'proxied'
  /** In a child process (`remote`), which can be paused. */
  | 'process'
  /** In a child process whose clock is `SKEWED_BY_MS` ahead of everyone else's. */
  | 'skewed';

interface FaultEnv {
  redis: RedisServer;
  /** The replicas in this process. */
  caches: CoherentCache<number>[];
  third: WorkloadReplica;
  slow: () => FaultyTransport;
  proxy: TcpProxy | undefined;
  remote: RemoteReplica | undefined;
  workload: Workload;
}

interface Row {
  name: string;
  /**
   * Once the engine repairs (`REPAIR_ASSERTED`): the replicas must repair at least once and
   * flush L1 never. False: a flush is allowed (see `expectFlush` for rows that must flush).
   */
  expectRepair: boolean;
  /** Once the engine repairs: at least one replica must give up repairing and flush, for this reason. */
  expectFlush?: 'log-lost';
  /** The Redis of the row: no persistence (default), or an append-only file fsynced on every write. */
  redis?: 'plain' | 'aof';
  /** @default 'faulty' */
  third?: ThirdReplica;
  /** Injects the fault; returns when it is over (or undoes it). */
  inject: (env: FaultEnv) => Promise<void>;
  /** Engine options of the row beyond the table's bus settings. */
  options?: Partial<CacheOptions>;
  /** After recovery, how long until nothing may fail any more. */
  settleMs?: number;
  /** Read errors allowed during the fault. */
  maxReadErrors: number;
  /** From the fault's end until every replica is ready and answers from L1 again. */
  maxRecoveryMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const redisRestart = async ({ redis }: FaultEnv) => {
  await redis.kill();
  await sleep(400);
  await redis.restart();
};

const rows: Row[] = [
  {
    name: 'Redis restart without persistence',
    expectRepair: false,
    expectFlush: 'log-lost', // the log went with the data: repair is impossible
    inject: redisRestart,
    maxReadErrors: 0,
    maxRecoveryMs: 10_000,
  },
  {
    name: 'Redis restart with AOF persistence (appendfsync always)',
    expectRepair: false, // may repair: the log survives the restart
    redis: 'aof',
    inject: redisRestart,
    maxReadErrors: 0,
    maxRecoveryMs: 10_000,
  },
  {
    name: 'subscriber connections killed (CLIENT KILL TYPE pubsub)',
    expectRepair: true,
    inject: async ({ redis }) => {
      const admin = redis.client();
      await admin.client('KILL', 'TYPE', 'pubsub');
      admin.disconnect();
    },
    maxReadErrors: 0,
    maxRecoveryMs: 5_000,
  },
  {
    name: 'subscriber connections killed again as soon as they are back, for 1 s, while writes continue',
    expectRepair: true,
    inject: async ({ redis, caches }) => {
      const admin = redis.client();
      let kills = 0;
      try {
        for (const until = performance.now() + 1000; performance.now() < until; kills++) {
          await admin.client('KILL', 'TYPE', 'pubsub');
          await waitFor(() => caches.every((cache) => cache.busConnected), {
            timeoutMs: 15_000,
            description: 'every replica subscribed again',
          });
        }
      } finally {
        admin.disconnect();
      }
      expect(kills).toBeGreaterThanOrEqual(2);
    },
    maxReadErrors: 0,
    maxRecoveryMs: 5_000,
  },
  {
    name: 'publisher connections killed (CLIENT KILL TYPE normal)',
    expectRepair: false, // a publish that failed may be missing from the log too ('unlogged')
    inject: async ({ redis }) => {
      const admin = redis.client();
      await admin.client('KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
      admin.disconnect();
    },
    maxReadErrors: 0,
    maxRecoveryMs: 5_000,
  },
  {
    name: 'network stall: one replica behind a TCP proxy that forwards nothing for 2 s (half-open)',
    // Nothing is lost on a half-open connection (TCP holds the bytes): the stalled replica needs
    // no repair. Its peers hear nothing from it for longer than maxLagMs and flush ('silence'): a
    // peer cut off that long may have written to the source, and what it never published cannot
    // be in the log.
    expectRepair: false,
    third: 'proxied',
    inject: async ({ proxy, third, workload }) => {
      const rejoin = workload.isolate(third);
      const before = { accepted: proxy!.accepted, ...proxy!.forwarded };
      proxy!.stall();
      await sleep(2000);
      const during = { accepted: proxy!.accepted, ...proxy!.forwarded };
      proxy!.resume();
      rejoin();
      // The stall forwarded nothing and closed nothing: the replica's connections stayed open.
      expect(during).toEqual(before);
      expect(workload.probeReads).toBeGreaterThan(20);
    },
    maxReadErrors: 0,
    maxRecoveryMs: 5_000,
  },
  {
    name: 'one replica process paused (SIGSTOP) for 3 s, then resumed',
    // As with the stall: its peers flush for 'silence' (it may have written while unheard).
    expectRepair: false,
    third: 'process',
    inject: async ({ remote, workload }) => {
      const rejoin = workload.isolate(remote!);
      remote!.pause();
      await sleep(3000);
      remote!.resume();
      rejoin();
      // Reads were started at the paused replica all along; each is judged by when it started.
      expect(workload.probeReads).toBeGreaterThan(30);
    },
    maxReadErrors: 0,
    maxRecoveryMs: 5_000,
  },
  {
    name: `clock skew: one replica process's clock ${SKEWED_BY_MS} ms ahead (clockSkewMs ${CLOCK_SKEW_MS})`,
    expectRepair: false, // nothing is lost: no repair, no flush needed
    third: 'skewed',
    options: { clockSkewMs: CLOCK_SKEW_MS },
    inject: async ({ remote }) => {
      const sentAt = Date.now();
      const clock = await remote!.clock();
      const answeredAt = Date.now();
      // Both of the replica's wall clocks read SKEWED_BY_MS ahead of ours, give or take the round trip.
      for (const reading of [clock.now, clock.wallClock]) {
        expect(reading - SKEWED_BY_MS).toBeGreaterThanOrEqual(sentAt - 5);
        expect(reading - SKEWED_BY_MS).toBeLessThanOrEqual(answeredAt + 5);
      }
      await sleep(2000); // writes and reads go on across the skewed replica
    },
    maxReadErrors: 0,
    maxRecoveryMs: 1_000,
  },
  {
    name: 'slow subscriber (one replica hears nothing for 1 s)',
    expectRepair: false,
    inject: async ({ slow }) => {
      slow().hold();
      await sleep(1000);
      slow().release();
    },
    maxReadErrors: 0,
    maxRecoveryMs: 5_000,
  },
  {
    name: 'source errors for 500 ms',
    expectRepair: false,
    inject: async ({ workload }) => {
      workload.sourceFault = 'error';
      await sleep(500);
      workload.sourceFault = 'none';
    },
    maxReadErrors: Number.POSITIVE_INFINITY, // misses during the fault fail (no fail-safe configured); hits keep working
    maxRecoveryMs: 1_000,
  },
  {
    name: 'source timeouts for 500 ms (hard timeout 100 ms)',
    expectRepair: false,
    inject: async ({ workload }) => {
      workload.sourceFault = 'hang';
      await sleep(500);
      workload.sourceFault = 'none';
    },
    options: { timeouts: { hardMs: 100 } },
    settleMs: 1000, // loads hung before the fault ended, and lease waits on them, are given up on within a few hard timeouts
    maxReadErrors: Number.POSITIVE_INFINITY,
    maxRecoveryMs: 1_000,
  },
];

/** The table's report, printed once every row has run. */
const report: Record<string, string | number>[] = [];

afterAll(() => {
  if (report.length > 0)
    console.log(`fault table (REPAIR_ASSERTED=${REPAIR_ASSERTED})\n${formatTable(report)}`);
});

/** Every row's promises, and its report line. */
function check(
  row: Pick<Row, 'name' | 'expectRepair' | 'expectFlush' | 'maxReadErrors' | 'maxRecoveryMs'>,
  run: FaultRunResult,
) {
  console.log(describeRun(row.name, run));
  report.push({
    row: row.name.length > 60 ? `${row.name.slice(0, 57)}...` : row.name,
    reads: run.reads,
    stale: run.staleReads,
    'errors once recovered': run.errorsOnceRecovered,
    'recovery ms': Math.round(run.recoveryMs),
    'sched. delay ms': Math.round(run.schedulingDelayMs),
    flushes: run.flushes,
    repairs: run.repairs,
    'loads/s before': run.sourceLoads.perSecondBefore,
    'loads in recovery': run.sourceLoads.duringRecovery,
    'loads 1st s after': run.sourceLoads.firstSecondAfter,
  });
  expect(run.reads).toBeGreaterThan(500);
  expect({ staleReads: run.staleReads, examples: run.examples }).toEqual({ staleReads: 0, examples: [] });
  expect(run.errorsDuringFault).toBeLessThanOrEqual(row.maxReadErrors);
  expect({ errorsOnceRecovered: run.errorsOnceRecovered, errorExamples: run.errorExamples }).toMatchObject({
    errorsOnceRecovered: 0,
  });
  expect(run.recoveryMs).toBeLessThanOrEqual(row.maxRecoveryMs);
  if (REPAIR_ASSERTED) {
    if (row.expectRepair) {
      expect({ flushes: run.counted.flushes, repaired: run.repairs > 0 }).toEqual({
        flushes: {},
        repaired: true,
      });
    }
    if (row.expectFlush !== undefined) {
      expect(run.counted.repairsFlushed).toMatchObject({ [row.expectFlush]: expect.any(Number) });
    }
  }
}

const tableOptions = (row: Pick<Row, 'options'>): Partial<CacheOptions> => ({
  ...row.options,
  bus: { heartbeatMs: HEARTBEAT_MS, maxLagMs: MAX_LAG_MS },
  ttlMs: 60_000,
});

/** The replicas of an in-process fleet, counted from their events. */
const membersOf = (caches: CoherentCache<number>[]): FleetMember[] =>
  caches.map((cache) => {
    const counters = countRecoveries(cache as CoherentCache<unknown>);
    return { replica: cache, counters: async () => counters() };
  });

describe('fault table: steady reads and writes on 3 replicas, one fault each, checked against every write', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });

  /** Starts the row's Redis and replicas; everything is stopped after the row. */
  async function fleetFor(row: Row): Promise<{ env: Omit<FaultEnv, 'workload'>; members: FleetMember[] }> {
    let redisOptions = {};
    if (row.redis === 'aof') {
      const dir = await mkdtemp(join(tmpdir(), 'clustache-aof-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      redisOptions = { dir, args: ['--appendonly', 'yes', '--appendfsync', 'always'] };
    }
    const redis = await RedisServer.start(redisOptions);
    cleanups.push(() => redis.kill());
    const replicas = new CacheReplicas(redis.url);
    cleanups.push(() => replicas.closeAll());
    const options = tableOptions(row);
    const caches = await replicas.many<number>(2, options);
    const fault = faulty();
    let proxy: TcpProxy | undefined;
    let remote: RemoteReplica | undefined;
    const third = row.third ?? 'faulty';
    if (third === 'faulty') {
      caches.push(
        await replicas.replica<number>({
          ...options,
          bus: { ...options.bus, wrapTransport: fault.bus.wrapTransport },
        }),
      );
    } else if (third === 'proxied') {
      const started = await TcpProxy.start({ port: redis.port });
      proxy = started;
      cleanups.push(() => started.close());
      caches.push(await replicas.replica<number>({ ...options, redis: `redis://127.0.0.1:${started.port}` }));
    } else {
      const started = await RemoteReplica.start(
        { ...options, name: 'test', redis: redis.url, replicaId: 'replica-3' },
        third === 'skewed' ? { clockSkewMs: SKEWED_BY_MS } : {},
      );
      remote = started;
      cleanups.push(() => started.stop());
    }
    const members = membersOf(caches);
    if (remote !== undefined) members.push({ replica: remote, counters: () => remote!.counters() });
    return {
      env: { redis, caches, third: members[2]!.replica, slow: fault.transport, proxy, remote },
      members,
    };
  }

  it.each(rows)(
    '$name: zero stale reads, no failed read once recovered, recovery within bounds',
    async (row) => {
      const { env, members } = await fleetFor(row);
      const workload = new Workload(
        members.map((member) => member.replica),
        { keys: 50, writeEveryMs: 5, readers: 4 },
        STALE_BOUND_MS,
      );
      const run = await runFault(members, workload, () => row.inject({ ...env, workload }), row);
      check(row, run);
    },
    30_000,
  );
});

interface FailoverRow
  extends Pick<Row, 'name' | 'expectRepair' | 'expectFlush' | 'maxReadErrors' | 'maxRecoveryMs'> {
  inject: (env: { rig: FailoverRig; master: RedisServer; replica: RedisServer }) => Promise<void>;
}

const failoverRows: FailoverRow[] = [
  {
    name: 'Sentinel failover while writes continue',
    expectRepair: false, // may repair: whether the promoted replica had every log entry is up to replication timing
    inject: ({ rig, master, replica }) => rig.failOver(master, replica),
    maxReadErrors: 0,
    maxRecoveryMs: 10_000,
  },
  {
    name: 'Sentinel failover to a replica that missed the last writes',
    expectRepair: false,
    expectFlush: 'log-lost', // the promoted replica's log lacks entries the replicas saw
    inject: async ({ rig, master, replica }) => {
      await rig.cutOff(replica);
      const replicaReached = await rig.offset(replica);
      await waitFor(async () => (await rig.offset(master)) > replicaReached, {
        description: 'the master took writes the replica will never see',
      });
      expect(await rig.offset(replica)).toBe(replicaReached); // still behind: it never sees those writes
      await rig.failOver(master, replica);
    },
    maxReadErrors: 0,
    maxRecoveryMs: 10_000,
  },
];

describe('fault table on Redis Sentinel: the master fails over while writes continue (one Sentinel for every row)', () => {
  let rig: FailoverRig;
  beforeAll(async () => {
    rig = await FailoverRig.start();
  }, 60_000);
  afterAll(() => rig?.stop());

  it.each(failoverRows)(
    '$name: zero stale reads, no failed read once recovered, recovery within bounds',
    async (row) => {
      const { master, replica } = await rig.healthy();
      const replicas = new CacheReplicas(rig.redisConfig);
      try {
        const caches = await replicas.many<number>(3, tableOptions({}));
        const members = membersOf(caches);
        const workload = new Workload(caches, { keys: 50, writeEveryMs: 5, readers: 4 }, STALE_BOUND_MS);
        const run = await runFault(members, workload, () => row.inject({ rig, master, replica }), row);
        check(row, run);
      } finally {
        await replicas.closeAll();
      }
    },
    60_000,
  );
});

describe('fault table on Redis Cluster: the master holding the bus channel restarts', () => {
  let cluster: RedisCluster;
  beforeAll(async () => {
    cluster = await RedisCluster.start({ masters: 3 });
  }, 30_000);
  afterAll(() => cluster?.stop());

  it('cluster node restart: zero stale reads, no failed read once recovered, recovery within 20 s', async () => {
    const replicas = new CacheReplicas({ cluster: cluster.startupNodes });
    try {
      const caches = await replicas.many<number>(3, { ...tableOptions({}), name: 'fault-table' });
      const workload = new Workload(caches, { keys: 50, writeEveryMs: 5, readers: 4 }, STALE_BOUND_MS);
      const run = await runFault(
        membersOf(caches),
        workload,
        async () => {
          const owner = await cluster.masterOf('clustache:{fault-table}:bus');
          await owner.kill();
          await sleep(400);
          await owner.restart();
          await cluster.waitUntilOk();
        },
        { maxRecoveryMs: 20_000 },
      );
      check(
        { name: 'cluster node restart', expectRepair: false, maxReadErrors: 0, maxRecoveryMs: 20_000 },
        run,
      );
    } finally {
      await replicas.closeAll();
    }
  }, 60_000);
});

/** The report as a plain-text table (console.table's box characters do not survive every log viewer). */
function formatTable(lines: Record<string, string | number>[]): string {
  const columns = Object.keys(lines[0]!);
  const widths = columns.map((column) =>
    Math.max(column.length, ...lines.map((line) => String(line[column]).length)),
  );
  const format = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ');
  return [
    format(columns),
    widths.map((width) => '-'.repeat(width)).join('-|-'),
    ...lines.map((line) => format(columns.map((c) => String(line[c])))),
  ].join('\n');
}
