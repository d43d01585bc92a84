/** What the recovery benchmark (recovery.ts) and its replica processes (recovery.replica.ts) say to each other. */
import type { MetricSnapshot } from '../lib/metric-snapshot';

export interface OpenRequest {
  redisUrl: string;
  /** The source of record: its own redis-server, so the cache's Redis carries only the cache. */
  sourceUrl: string;
  name: string;
  keys: number;
  /** `bus.replayLog.enabled`. */
  repair: boolean;
  /** `loadLease.enabled`. */
  leases: boolean;
  heartbeatMs: number;
  maxLagMs: number;
  /** How long the source takes to answer, on top of its Redis read. */
  loaderMs: number;
}

export interface WarmReport {
  loads: number;
  /** Bus `put` messages this replica published while warming. */
  puts: number;
}

export interface ReadPlan {
  /** Wall-clock epoch ms of the first read. */
  startAt: number;
  keys: number;
  /** Reads per second, issued on schedule whether or not earlier ones have answered (open loop). */
  perSecond: number;
  /** Indexes of the keys the writer changes: their reads are kept for the oracle. */
  written: number[];
  bucketMs: number;
}

/** Per-bucket counts of one replica's run, bucket i covering `startAt + i × bucketMs`. */
export interface ReadReport {
  startAt: number;
  bucketMs: number;
  reads: number[];
  /** Reads L1 answered at once. */
  hits: number[];
  /** Loader (source) calls, by when they started. */
  loads: number[];
  /** When the bus subscription went down (false) and came back (true). */
  transitions: [at: number, connected: boolean][];
  /** L1's size, sampled every 50 ms. */
  entries: [at: number, entries: number][];
  /** Reads of written keys: key index, version read, when the read was issued, whether L1 answered it. */
  records: [key: number, version: number, at: number, hit: boolean][];
  errors: number;
  /** The longest the read loop was kept from running (a busy machine). */
  worstStallMs: number;
  /** Reads still unanswered when the report was made (should be 0). */
  unanswered: number;
  /** Metrics when reading began (before the blip) and once it ended. */
  metricsBefore: MetricSnapshot;
  metricsAfter: MetricSnapshot;
}

export interface BlipOver {
  /** When the last kill was carried out (wall-clock epoch ms). */
  lastKillAt: number;
  /** Read this much longer once the subscription is back. */
  postMs: number;
  /** Give up on the subscription coming back after this long. */
  timeoutMs: number;
}

/** When the subscription came back after the blip, or why it did not (then the replica stops reading). */
export type BackReport = { backAt: number } | { stuck: string };

export interface WriteRequest {
  written: number[];
  intervalMs: number;
  /** Wall-clock epoch ms after which no write starts. */
  untilAt: number;
  /** Every n-th write invalidates (`delete`) instead of publishing the new value (`set`). */
  deleteEvery: number;
}

export interface WriteReport {
  /** Key index, version written to the source, when the cache call had returned, and which call it was. */
  writes: [key: number, version: number, at: number, call: 'set' | 'delete'][];
  sets: number;
  deletes: number;
  /** Writes whose publish failed (peers would learn of them as a gap). */
  unpropagated: number;
}
