import type { RepairFailure, RepairTrigger, ResyncReason } from '../stats';
import type { Decoded } from './message';

/** How a recovery after possibly missed messages ended. */
export interface RepairResult {
  trigger: RepairTrigger;
  outcome: 'repaired' | 'flushed';
  /** Repaired: the trigger; flushed: why the log could not repair. */
  reason: RepairTrigger | RepairFailure;
  /** Messages applied from the log. */
  messages: number;
  /** Wall time (ms) up to which every message is known to have been applied. */
  currentAt: number;
}

/** How a warm start ended. Not a recovery: it has no outcome or reason, and is not counted as a repair. */
export interface WarmResult {
  trigger: 'warm';
  /** Messages applied from the log. */
  messages: number;
  /** Wall time (ms) up to which every message is known to have been applied. */
  currentAt: number;
}

/** What the bus asks of the cache it serves. */
export interface BusListener {
  /**
   * A peer's message, in that peer's order, none missing since the last resync: `live`, or from
   * the log (`replayed` by a repair; `warm`: read by a warm start, which vouches that its values
   * were read after the entries it read began).
   */
  apply(decoded: Decoded, lagMs: number, source: 'live' | 'replayed' | 'warm'): void;
  /** Messages may have been lost: drop everything that can no longer be trusted. */
  resync(reason: ResyncReason): void;
  /** The subscription was lost (false) or is in place again (true, before the resync). */
  connection(connected: boolean): void;
  /**
   * One of our own messages, sent at `sentAt` (wall ms), came back: every message Redis took
   * before it has reached us, so we are current up to `sentAt`.
   */
  echo(sentAt: number): void;
  /** Messages may have been missed and the replay log is being read: L1 must not answer. */
  repairing(): void;
  /** The recovery (or warm start) ended; when flushed, `resync` came first. */
  repaired(result: RepairResult | WarmResult): void;
}
