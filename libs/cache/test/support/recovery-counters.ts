import type { EventEmitter } from 'node:events';
import type { CoherentCache } from '../../src';

/** Counts by reason. */
export type ByReason = Record<string, number>;

/** What one replica did to recover from faults, read from its events; a snapshot, subtract two for a window. */
export interface RecoveryCounters {
  /** Connected to Redis and subscribed to the bus. */
  ready: boolean;
  /** L1 hits so far: a replica answering from L1 again is a replica that recovered. */
  hits: number;
  /** Whole-L1 drops (`resync` events), by reason. */
  flushes: ByReason;
  /** Repairs from the replay log (`repair` events with outcome `repaired`), by trigger. */
  repairs: ByReason;
  /** Repairs that were impossible and flushed instead (`repair` events with outcome `flushed`), by why. */
  repairsFlushed: ByReason;
  /** Messages applied by repairs. */
  repairedMessages: number;
}

/**
 * Starts counting a cache's recoveries from its events, and returns the reader of the counts.
 * The `repair` event (issue 12: outcome, reason, messages) is listened for by name, so this
 * compiles and counts nothing on an engine that does not emit it yet.
 */
export function countRecoveries(cache: CoherentCache<unknown>): () => RecoveryCounters {
  const flushes: ByReason = {};
  const repairs: ByReason = {};
  const repairsFlushed: ByReason = {};
  let repairedMessages = 0;
  cache.on('resync', (reason) => add(flushes, reason));
  (cache as unknown as EventEmitter).on('repair', (outcome: unknown, reason: unknown, messages: unknown) => {
    add(outcome === 'repaired' ? repairs : repairsFlushed, String(reason));
    if (typeof messages === 'number') repairedMessages += messages;
  });
  return () => ({
    ready: cache.isReady,
    hits: cache.stats.hits,
    flushes: { ...flushes },
    repairs: { ...repairs },
    repairsFlushed: { ...repairsFlushed },
    repairedMessages,
  });
}

/** What happened between two snapshots of many replicas, added up. */
export function countedBetween(before: RecoveryCounters[], after: RecoveryCounters[]): RecoveryCounters {
  const total: RecoveryCounters = {
    ready: after.every((counters) => counters.ready),
    hits: 0,
    flushes: {},
    repairs: {},
    repairsFlushed: {},
    repairedMessages: 0,
  };
  after.forEach((now, i) => {
    const then = before[i]!;
    total.hits += now.hits - then.hits;
    total.repairedMessages += now.repairedMessages - then.repairedMessages;
    for (const field of ['flushes', 'repairs', 'repairsFlushed'] as const) {
      for (const [reason, count] of Object.entries(now[field])) {
        const added = count - (then[field][reason] ?? 0);
        if (added > 0) add(total[field], reason, added);
      }
    }
  });
  return total;
}

/** The sum of counts by reason. */
export function sum(counts: ByReason): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

function add(counts: ByReason, reason: string, count = 1): void {
  counts[reason] = (counts[reason] ?? 0) + count;
}
