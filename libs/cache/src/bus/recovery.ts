import { VersionClock, wallClockMs } from '../clock';
import type { Logger } from '../logger';
import type { CacheStats, RepairFailure, RepairTrigger } from '../stats';
import type { BusListener, RepairResult } from './listener';
import type { LogFollower } from './log-follower';
import { decodeEnvelope, splitLogMark } from './message';
import type { Peers } from './peers';
import type { LogRead } from './replay-log';

/** A recovery in progress: what started it, what it must prove, and whether it must run again. */
interface Repair {
  /** `warm`: not a recovery, a new or flushed replica filling its L1 from the newest entries. */
  trigger: RepairTrigger | 'warm';
  startedAt: number;
  /** Sequence numbers each origin must have reached once the log is applied. */
  required: Map<string, number>;
  /** Messages may have been missed again while it ran (a new resubscription). */
  again: boolean;
}

/** A repair whose log was applied, with when it began: counted and reported once verified. */
interface Repaired {
  result: RepairResult;
  startedAt: number;
}

/** What a recovery needs of the bus it runs in. */
export interface RecoveryContext {
  /** The replay log and this replica's place in it; without one, every possible loss drops L1. */
  follower: LogFollower | undefined;
  peers: Peers;
  listener: BusListener;
  stats: CacheStats;
  logger: Logger;
  /** Our own origin (its logged messages are skipped), the clock skew, and the warm start's size and pace. */
  options: { origin: string; skewMs: number; warm: { entries: number; perSecond: number } };
  /** Handles a payload that waited while the log was read, as if it had just arrived. */
  receive(payload: string): void;
  /** Send time (wall ms) of the last own message that came back. */
  lastEcho(): number;
}

/**
 * Everything the bus does after messages may have been missed, apart from noticing it: read the
 * replay log from where this replica stood and apply what it missed, holding live messages back
 * meanwhile; after a resubscription, wait to hear every peer (a publish that failed while we were
 * away never reached the log, and only the peer's next message shows it); and drop L1 when the
 * log cannot prove the repair complete. A warm start, which fills a new or flushed L1 from the
 * newest entries, runs the same way. At most one runs at a time; a loss noticed meanwhile joins it.
 */
export class Recovery {
  private repair: Repair | undefined;
  /**
   * After a resubscription's log is applied: the peers still to be heard from, and the recovery
   * to report once they have been. A peer's publish that failed while we were away never reached
   * the log; its next heartbeat shows the skipped number. Until each peer has spoken (or been
   * forgotten for silence), L1 does not answer.
   */
  private verifying: { peers: Set<string>; repairs: Repaired[] } | undefined;
  /** Payloads that arrived while a repair read the log, handled once it is done. */
  private queue: string[] = [];

  constructor(private readonly bus: RecoveryContext) {}

  /** True while the log is read and applied: live messages wait (see `hold`). */
  get isReading(): boolean {
    return this.repair !== undefined;
  }

  /** True while a repair reads and applies the replay log, or waits to hear every peer after it. */
  get isRepairing(): boolean {
    return this.repair !== undefined || this.verifying !== undefined;
  }

  /** Keeps a live payload until the log has been applied (a repair running, or about to start). */
  hold(payload: string): void {
    this.queue.push(payload);
  }

  /**
   * Messages may have been missed: with a replay log, read what was missed and apply it, once
   * and in order (a repair already running takes on what this one must prove, `origin` having
   * reached `seq`); without one, drop L1.
   */
  start(trigger: RepairTrigger | 'warm', origin?: string, seq?: number): void {
    if (!this.bus.follower) return trigger === 'warm' ? undefined : this.flush(trigger, 'disabled');
    const repair = this.repair ?? {
      trigger,
      startedAt: performance.now(),
      required: new Map(),
      again: false,
    };
    if (origin !== undefined && seq !== undefined)
      repair.required.set(origin, Math.max(seq, repair.required.get(origin) ?? 0));
    // L1 stops answering, again if a resubscription let it answer while a repair was running.
    this.bus.listener.repairing();
    if (this.repair) {
      if (trigger === 'reconnect') repair.again = true;
      return;
    }
    this.repair = repair;
    void this.run(repair);
  }

  /** Warms L1 from the newest log entries, if configured; false when not. */
  startWarm(): boolean {
    if (!this.bus.follower || this.bus.options.warm.entries <= 0) return false;
    this.start('warm');
    return true;
  }

  /**
   * Drops L1 after a possible loss that the log cannot repair (or without a log: `disabled`,
   * and L1 is dropped for the trigger as before), and reports the recovery.
   */
  flush(trigger: RepairTrigger, failure: RepairFailure, startedAt = performance.now()): void {
    const { peers, stats, listener } = this.bus;
    // Repairs still waiting on peers did not prove complete: this flush is their outcome.
    this.verifying = undefined;
    peers.flushed(wallClockMs());
    stats.repairDuration.observe((performance.now() - startedAt) / 1000);
    stats.repairs[`flushed/${failure}`]++;
    peers.rebase();
    listener.resync(failure === 'disabled' ? trigger : failure);
    listener.repaired({
      trigger,
      outcome: 'flushed',
      reason: failure,
      messages: 0,
      currentAt: wallClockMs(),
    });
    // Not after a lost publish: the log's newest values may be what it overtook.
    if (failure !== 'unlogged') this.startWarm();
  }

  /** `origin` spoke after a resubscription without showing a loss (or is gone): one fewer to wait for. */
  heard(origin: string): void {
    const verifying = this.verifying;
    if (verifying === undefined || !verifying.peers.delete(origin) || verifying.peers.size > 0) return;
    this.verifying = undefined;
    this.report(verifying.repairs);
  }

  /** Peers forgotten for silence (L1 was dropped for them) will not be heard: stop waiting for them. */
  forgotten(origins: readonly string[]): void {
    for (const origin of origins) this.verifying?.peers.add(origin);
    for (const origin of [...(this.verifying?.peers ?? [])])
      if (!this.bus.peers.has(origin)) this.heard(origin);
  }

  /** Counts and reports repairs now proven complete (each lets L1 answer up to what is known). */
  private report(repairs: readonly Repaired[]): void {
    for (const { result, startedAt } of repairs) {
      this.bus.stats.repairs[`repaired/${result.trigger}`]++;
      this.bus.stats.repairDuration.observe((performance.now() - startedAt) / 1000);
      this.bus.listener.repaired({ ...result, currentAt: Math.max(result.currentAt, this.bus.lastEcho()) });
    }
  }

  private async run(repair: Repair): Promise<void> {
    await Promise.resolve(); // never finish inside the call that started it (its caller queues first)
    const { follower, peers, stats, options } = this.bus;
    const readAt = wallClockMs();
    const warm = repair.trigger === 'warm';
    const from = follower!.at;
    let read: LogRead | undefined;
    try {
      if (warm) read = await follower!.log.recent(options.warm.entries, options.warm.perSecond);
      else read = from === undefined ? undefined : await follower!.log.read(from);
    } catch {
      read = undefined;
    }
    if (warm) return this.finishWarm(repair, read);
    const trigger = repair.trigger as RepairTrigger;
    let messages = 0;
    let failure: RepairFailure | undefined =
      read === undefined ? 'error' : read.status === 'ok' ? undefined : read.status;
    // A large put is logged without its value; its live copy, if it arrived meanwhile, has it.
    const live = new Map<string, string>();
    for (const payload of this.queue) {
      const { mark, envelope } = splitLogMark(payload);
      if (mark) live.set(mark.id, envelope);
    }
    for (const entry of read?.status === 'ok' ? read.entries : []) {
      const replayed = this.replay(live.get(entry.mark.id) ?? entry.payload);
      if (replayed === 'hole') {
        failure = 'unlogged';
        break;
      }
      if (replayed === 'applied') messages++;
    }
    for (const [origin, seq] of repair.required) {
      if (failure === undefined && (peers.get(origin)?.seq ?? -1) < seq) failure = 'unlogged';
    }
    follower!.moveTo(read?.position);
    this.repair = undefined;
    stats.repairMessages += messages;
    if (failure === undefined) {
      const repaired: Repaired = {
        result: { trigger, outcome: 'repaired', reason: trigger, messages, currentAt: readAt },
        startedAt: repair.startedAt,
      };
      // Any recovery that ends while peers are still to be heard from waits with them; a
      // resubscription waits to hear every peer again.
      const repairs = [...(this.verifying?.repairs ?? []), repaired];
      const waitFor = trigger === 'reconnect' ? new Set(peers.origins()) : this.verifying?.peers;
      if (waitFor !== undefined && waitFor.size > 0) this.verifying = { peers: waitFor, repairs };
      else this.report(repairs);
    } else {
      this.bus.logger.warn('replay log cannot repair what was missed; dropping L1', { reason: failure });
      this.flush(trigger, failure, repair.startedAt);
    }
    this.drain(repair);
  }

  /** After a repair or warm start: run again if it must, then handle what arrived meanwhile. */
  private drain(repair: Repair): void {
    // Messages waited in the queue: peers were not unheard, only not listened to.
    this.bus.peers.resetSilence();
    if (repair.again) this.start('reconnect');
    const queued = this.queue;
    this.queue = [];
    for (const payload of queued) this.bus.receive(payload);
  }

  /**
   * A warm start read the newest entries (or nothing: an empty log, or no answer, and then only
   * where the log stands is learnt). Applied like a repair, except that a value read before the
   * first entry was sent (allowing for clock skew) is left out: an invalidation that overtook it
   * may be older than that entry, and its tombstone is not here. Invalidations always apply.
   */
  private finishWarm(repair: Repair, read: LogRead | undefined): void {
    const { follower, peers, stats, listener, options } = this.bus;
    let messages = 0;
    let hole = false;
    // The first entry's time in the log (its id), not its sender's clock.
    const first = read?.entries[0];
    const floor = first ? Number(first.mark.id.split('-')[0]) + options.skewMs : Infinity;
    // A publish that failed from then on may have overtaken a value read since: a peer reporting
    // one (on any message, or an entry below) now means what was warmed cannot be trusted.
    if (first) peers.listenBackTo(floor - 2 * options.skewMs);
    for (const entry of read?.entries ?? []) {
      const replayed = this.replay(entry.payload, floor);
      if (replayed === 'hole') {
        hole = true;
        break;
      }
      if (replayed === 'applied') messages++;
    }
    this.repair = undefined;
    if (read) follower!.moveTo(read.position);
    else void follower!.locate();
    if (hole) {
      // A publish that never reached the log sits among the entries: keep none of them.
      peers.rebase();
      listener.resync('unlogged');
    } else stats.warmMessages += messages;
    listener.repaired({ trigger: 'warm', messages, currentAt: wallClockMs() });
    this.drain(repair);
  }

  /**
   * Applies one logged message by the rules of a live one, skipping our own and those already
   * applied. A sequence that skips a number means a publish that never reached the log. With
   * `warmFloor` (a warm start), a put read before that wall time is skipped, but still counted.
   */
  private replay(payload: string, warmFloor?: number): 'applied' | 'skipped' | 'hole' {
    const { peers, listener } = this.bus;
    const decoded = decodeEnvelope(payload);
    if (typeof decoded === 'string') return 'hole';
    const { origin, seq, sentAt, failedAt, message } = decoded.envelope;
    if (origin === this.bus.options.origin) return 'skipped';
    const peer = peers.get(origin);
    const last = peer?.seq;
    if (last !== undefined && seq <= last) return 'skipped';
    if (last !== undefined && seq > last + 1) return 'hole';
    if (peers.missedFailure(peer?.failedAt ?? 0, failedAt)) return 'hole';
    peers.set(origin, {
      seq,
      seenAt: peer?.seenAt ?? Date.now(),
      failedAt: Math.max(peer?.failedAt ?? 0, failedAt),
    });
    if (warmFloor === undefined) {
      listener.apply(decoded, wallClockMs() - sentAt, 'replayed');
      return 'applied';
    }
    if (message.type === 'put' && VersionClock.millisOf(message.version) < warmFloor) return 'skipped';
    listener.apply(decoded, wallClockMs() - sentAt, 'warm');
    return 'applied';
  }
}
