import { waitFor } from '@clustache/testing';
import { countedBetween, sum, type RecoveryCounters } from './recovery-counters';
import type { Workload, WorkloadReplica } from './workload';

/** One replica of a fault run: what the workload reads and writes through, and its recovery counts. */
export interface FleetMember {
  replica: WorkloadReplica;
  counters(): Promise<RecoveryCounters>;
}

export interface FaultRunLimits {
  /** From the fault's end until every replica is ready and answers from L1 again. */
  maxRecoveryMs: number;
  /** After recovery, how long until no read may fail any more. @default 0 */
  settleMs?: number;
}

/** What one fault run measured. */
export interface FaultRunResult {
  reads: number;
  staleReads: number;
  examples: string[];
  readErrors: number;
  errorExamples: string[];
  /** Read errors from the fault's start until recovery (plus `settleMs`). */
  errorsDuringFault: number;
  /** Read errors after that: must be 0. */
  errorsOnceRecovered: number;
  recoveryMs: number;
  /** The worst scheduling delay measured during the run; the stale bound grew by twice it. */
  schedulingDelayMs: number;
  /** Flushes, repairs and hits of every replica from the fault's start to the run's end. */
  counted: RecoveryCounters;
  flushes: number;
  repairs: number;
  sourceLoads: {
    /** Loads per second in the steady state before the fault. */
    perSecondBefore: number;
    /** From the fault's end until recovery. */
    duringRecovery: number;
    /** In the first second after recovery. */
    firstSecondAfter: number;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long the steady state is watched before the fault, for the baseline of source loads. */
const BASELINE_MS = 500;
/** How long after recovery source loads are counted and reads must not fail. */
const AFTER_MS = 1000;

/**
 * Runs the workload over a fleet, injects one fault, and measures: the reads the checker judged,
 * how long until every replica answered from L1 again, what the source saw before, during and
 * after, and how each replica recovered (flushes, repairs). The caller asserts.
 */
export async function runFault(
  members: FleetMember[],
  workload: Workload,
  inject: () => Promise<void>,
  limits: FaultRunLimits,
): Promise<FaultRunResult> {
  const snapshot = () => Promise.all(members.map((member) => member.counters()));
  workload.start();
  try {
    await waitFor(async () => (await snapshot()).every((counters) => counters.ready && counters.hits > 0), {
      timeoutMs: 10_000,
      description: 'every replica answering from L1',
    });
    const baselineFrom = { at: performance.now(), loads: workload.sourceLoads };
    await sleep(BASELINE_MS);
    const perSecondBefore =
      ((workload.sourceLoads - baselineFrom.loads) * 1000) / (performance.now() - baselineFrom.at);

    const before = await snapshot();
    const errorsBefore = workload.checker.readErrors;
    await inject();
    const faultEnded = { at: performance.now(), loads: workload.sourceLoads, counters: await snapshot() };
    await waitFor(
      async () => (await snapshot()).every((now, i) => now.ready && now.hits > faultEnded.counters[i]!.hits),
      { timeoutMs: limits.maxRecoveryMs, description: 'recovery: every replica ready and answering from L1' },
    );
    const recovered = { at: performance.now(), loads: workload.sourceLoads };
    await sleep(limits.settleMs ?? 0);
    const errorsAtRecovery = workload.checker.readErrors;
    await sleep(Math.max(0, recovered.at + AFTER_MS - performance.now()));
    const firstSecondAfter = workload.sourceLoads - recovered.loads;
    await workload.stop();
    const counted = countedBetween(before, await snapshot());
    const { reads, staleReads, examples, readErrors, errorExamples } = workload.checker;
    return {
      reads,
      staleReads,
      examples,
      readErrors,
      errorExamples,
      errorsDuringFault: errorsAtRecovery - errorsBefore,
      errorsOnceRecovered: readErrors - errorsAtRecovery,
      recoveryMs: recovered.at - faultEnded.at,
      schedulingDelayMs: workload.checker.schedulingDelayMs,
      counted,
      flushes: sum(counted.flushes),
      repairs: sum(counted.repairs),
      sourceLoads: {
        perSecondBefore: Math.round(perSecondBefore),
        duringRecovery: recovered.loads - faultEnded.loads,
        firstSecondAfter,
      },
    };
  } finally {
    await workload.stop();
  }
}

/** One line of the fault table's report. */
export function describeRun(name: string, run: FaultRunResult): string {
  const byReason = (label: string, counts: Record<string, number>, extra = '') => {
    const reasons = Object.entries(counts).map(([reason, count]) => `${reason} ${count}`);
    return reasons.length === 0 ? `${label} 0` : `${label} ${sum(counts)} (${reasons.join(', ')}${extra})`;
  };
  const { counted } = run;
  const { perSecondBefore, duringRecovery, firstSecondAfter } = run.sourceLoads;
  return [
    `${name}: ${run.reads} reads, ${run.staleReads} stale, ${run.readErrors} errors (${run.errorsOnceRecovered} once recovered)`,
    `recovered in ${run.recoveryMs.toFixed(0)} ms`,
    byReason('L1 flushes', counted.flushes),
    byReason('repairs', counted.repairs, `; ${counted.repairedMessages} messages`),
    byReason('repairs given up', counted.repairsFlushed),
    `source loads: ${perSecondBefore}/s before, ${duringRecovery} during recovery, ${firstSecondAfter} in the first second after`,
  ].join('; ');
}
