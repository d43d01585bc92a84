/**
 * One variant of the recovery benchmark: its set-up, what its run produced, and the measures the
 * tables are written from (see recovery.analysis.ts for the arithmetic).
 */
import { addMetrics, subtractMetrics, type MetricSnapshot } from '../lib/metric-snapshot';
import type { Blip } from '../lib/pubsub-blip';
import type { RedisReading } from '../lib/redis-info';
import {
  checkStaleness,
  hitRatioAfterBack,
  hitRatioBetween,
  loadsAfterBack,
  recoveryMs,
  type Replica,
  type Staleness,
} from './recovery.analysis';
import type { WarmReport, WriteReport } from './recovery.protocol';

export interface Setup {
  replicas: number;
  keys: number;
  /** Reads per second per replica. */
  perSecond: number;
  writeFraction: number;
  writeEveryMs: number;
  deleteEvery: number;
  blipMs: number;
  killEveryMs: number;
  preMs: number;
  postMs: number;
  loaderMs: number;
  heartbeatMs: number;
  maxLagMs: number;
  bucketMs: number;
  /** The issue's set-up: its table goes to docs/benchmarks.md. */
  issueSetup: boolean;
}

export interface Variant {
  id: 'repair-on' | 'repair-off' | 'leases-off';
  label: string;
  /** `bus.replayLog.enabled` */
  repair: boolean;
  /** `loadLease.enabled` */
  leases: boolean;
}

export interface VariantRun {
  variant: Variant;
  warm: WarmReport;
  warmMs: number;
  redis: { before: RedisReading; warmed: RedisReading; end: RedisReading };
  /** The replay log stream as the run left it; undefined when the engine wrote none. */
  log: { key: string; entries: number; bytes: number } | undefined;
  blip: Blip;
  startAt: number;
  /** The replicas whose subscription came back after the blip. */
  replicas: Replica[];
  /** The others, with what their engine last warned of. */
  stuck: string[];
  writes: WriteReport;
}

/** The issue's targets for repair on: loads after the blip, and the hit ratio back within 5 % in under 1 s. */
export const TARGET_EXTRA_FRACTION = 0.05;
export const TARGET_RECOVERY_MS = 1000;
const LEVEL = 0.95;
/** Reads in the first half second may be the readers starting: the level before the blip is taken after it. */
const SETTLE_MS = 500;

export interface Measures {
  before: number;
  firstSecond: number;
  firstFive: number;
  loads: number;
  recovery: number | undefined;
  perSecond: number[];
  metrics: MetricSnapshot;
  stale: Staleness;
  keysWritten: number;
}

/** The oracle's bound, as the fault table's: the staleness bound plus one heartbeat (silence is checked once a heartbeat). */
export function staleBoundMs(setup: Setup): number {
  return setup.maxLagMs + setup.heartbeatMs + 30;
}

export function measure(setup: Setup, run: VariantRun): Measures {
  const { replicas, blip } = run;
  const before = hitRatioBetween(replicas, run.startAt + SETTLE_MS, blip.firstKillAt);
  const change = (replica: Replica) =>
    subtractMetrics(replica.report.metricsAfter, replica.report.metricsBefore);
  return {
    before,
    firstSecond: hitRatioAfterBack(replicas, 1000),
    firstFive: hitRatioAfterBack(replicas, 5000),
    loads: loadsAfterBack(replicas, 5000),
    recovery: recoveryMs(replicas, before * LEVEL, setup.postMs),
    perSecond: Array.from({ length: Math.floor(setup.postMs / 1000) }, (_, s) =>
      hitRatioAfterBack(replicas, 1000, s * 1000),
    ),
    metrics: addMetrics(replicas.map(change)),
    stale: checkStaleness(
      replicas.map((replica) => replica.report),
      run.writes.writes,
      staleBoundMs(setup),
    ),
    keysWritten: new Set(run.writes.writes.map(([key]) => key)).size,
  };
}
