/**
 * The recovery benchmark's arithmetic: the fleet's hit ratio and source loads in windows that
 * start when each replica's subscription came back (replicas come back tens of milliseconds
 * apart, so each is lined up on its own moment), the time until the hit ratio is back, and the
 * oracle that finds stale reads from the writer's record of every write.
 */
import type { ReadReport, WriteReport } from './recovery.protocol';

/** One replica's report and the moment (wall-clock epoch ms) its subscription came back. */
export interface Replica {
  report: ReadReport;
  backAt: number;
}

type Series = 'reads' | 'hits' | 'loads';

/** Sum of one replica's buckets that start within [from, to). */
function sumOver(report: ReadReport, series: Series, from: number, to: number): number {
  const { startAt, bucketMs } = report;
  const values = report[series];
  const first = Math.max(0, Math.ceil((from - startAt) / bucketMs));
  const end = Math.min(values.length, Math.ceil((to - startAt) / bucketMs));
  let sum = 0;
  for (let i = first; i < end; i++) sum += values[i]!;
  return sum;
}

/** Fleet hit ratio over [at, at + ms) of each replica's own clock `at(replica)`; NaN with no reads. */
function hitRatio(replicas: readonly Replica[], at: (replica: Replica) => number, ms: number): number {
  let reads = 0;
  let hits = 0;
  for (const replica of replicas) {
    reads += sumOver(replica.report, 'reads', at(replica), at(replica) + ms);
    hits += sumOver(replica.report, 'hits', at(replica), at(replica) + ms);
  }
  return hits / reads;
}

/** The fleet's hit ratio over [from, to) of wall-clock time (before the blip). */
export function hitRatioBetween(replicas: readonly Replica[], from: number, to: number): number {
  return hitRatio(replicas, () => from, to - from);
}

/** The fleet's hit ratio in the first `ms` after each replica came back. */
export function hitRatioAfterBack(replicas: readonly Replica[], ms: number, offsetMs = 0): number {
  return hitRatio(replicas, (replica) => replica.backAt + offsetMs, ms);
}

/** Source loads the fleet started in the first `ms` after each replica came back. */
export function loadsAfterBack(replicas: readonly Replica[], ms: number): number {
  return replicas.reduce((sum, { report, backAt }) => sum + sumOver(report, 'loads', backAt, backAt + ms), 0);
}

/** Source loads the fleet started within [from, to) of wall-clock time. */
export function loadsBetween(replicas: readonly Replica[], from: number, to: number): number {
  return replicas.reduce((sum, { report }) => sum + sumOver(report, 'loads', from, to), 0);
}

/**
 * How long after coming back the fleet's hit ratio, in steps of `stepMs`, reached `level` and
 * stayed there for `holdSteps` steps (or to the end of the window): 0 when the first step was
 * already there; undefined when it never got there within `windowMs`.
 */
export function recoveryMs(
  replicas: readonly Replica[],
  level: number,
  windowMs: number,
  stepMs = 100,
  holdSteps = 5,
): number | undefined {
  const steps = Math.floor(windowMs / stepMs);
  const ratios = Array.from({ length: steps }, (_, k) => hitRatioAfterBack(replicas, stepMs, k * stepMs));
  for (let k = 0; k < steps; k++) {
    const held = ratios.slice(k, Math.min(steps, k + holdSteps));
    if (held.every((ratio) => !(ratio < level))) return k * stepMs;
  }
  return undefined;
}

/** The fleet's L1 entries just before `at(replica)`, each replica's last sample before its own moment. */
export function entriesAt(replicas: readonly Replica[], at: (replica: Replica) => number): number {
  return replicas.reduce((sum, replica) => {
    const before = replica.report.entries.filter(([time]) => time <= at(replica));
    return sum + (before[before.length - 1]?.[1] ?? 0);
  }, 0);
}

/** The fewest entries each replica held in the `ms` after it came back, summed over the fleet. */
export function fewestEntriesAfterBack(replicas: readonly Replica[], ms: number): number {
  return replicas.reduce((sum, { report, backAt }) => {
    const after = report.entries.filter(([time]) => time >= backAt && time < backAt + ms);
    return sum + Math.min(...after.map(([, entries]) => entries));
  }, 0);
}

export interface Staleness {
  /** Reads of written keys checked. */
  checked: number;
  /** Reads older than a write completed more than the bound before them: must be 0. */
  stale: number;
  /** Reads older than a write completed before them, but within the bound (allowed). */
  withinBound: number;
  examples: string[];
}

/**
 * The oracle: a read returning version v of a key is stale if a write of a newer version had
 * completed more than `boundMs` before the read was issued.
 */
export function checkStaleness(
  reports: readonly ReadReport[],
  writes: WriteReport['writes'],
  boundMs: number,
): Staleness {
  const byKey = new Map<number, [version: number, at: number, call: string][]>();
  for (const [key, version, at, call] of writes) {
    if (!byKey.has(key)) byKey.set(key, []);
    byKey.get(key)!.push([version, at, call]);
  }
  const result: Staleness = { checked: 0, stale: 0, withinBound: 0, examples: [] };
  const write = (key: number, version: number) => byKey.get(key)!.find(([written]) => written === version)!;
  const newestBefore = (key: number, time: number) =>
    Math.max(0, ...(byKey.get(key) ?? []).filter(([, at]) => at < time).map(([version]) => version));
  for (const [replica, report] of reports.entries()) {
    for (const [key, version, at, hit] of report.records) {
      result.checked++;
      const owed = newestBefore(key, at - boundMs);
      if (version < owed) {
        result.stale++;
        if (result.examples.length < 3)
          result.examples.push(
            `replica-${replica + 1} read product:${key} v${version} (${hit ? 'an L1 hit' : 'not from L1'}), but v${owed} had been written (\`${write(key, owed)[2]}\`) ${Math.round(at - write(key, owed)[1])} ms before`,
          );
      } else if (version < newestBefore(key, at)) {
        result.withinBound++;
      }
    }
  }
  return result;
}
