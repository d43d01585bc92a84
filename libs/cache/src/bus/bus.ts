import { VersionClock } from '../clock';
import type { Logger } from '../logger';
import type { CacheStats, RepairFailure, RepairTrigger, ResyncReason } from '../stats';
import { LogFollower } from './log-follower';
import {
  decodeEnvelope,
  encodeEnvelope,
  loggedForm,
  originPrefix,
  sentAtOf,
  splitLogMark,
  WIRE_FORMAT,
  type BusMessage,
  type Decoded,
} from './message';
import { Peers } from './peers';
import type { LogPosition, LogRead, ReplayLog } from './replay-log';
import type { BusTransport } from './transport';

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

/** A repair whose log was applied, with when it began: counted and reported once verified. */
interface Repaired {
  result: RepairResult;
  startedAt: number;
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

export interface BusOptions {
  /** Unique per cache instance; messages from it are our own and ignored. */
  origin: string;
  /** @default 1000 */
  heartbeatMs: number;
  /**
   * A peer unheard of for this long is forgotten, and suspected: it may have written to the
   * source while cut off from Redis, so its invalidations never arrived. A peer that closes says
   * `leave` first and is forgotten without suspicion. The cache passes its `maxLagMs`.
   */
  silenceMs: number;
  /** How far apart two replicas' clocks may be; widens the window in which a peer's failure counts. */
  skewMs: number;
  /** The replay log; without it every possible loss drops L1. */
  log?: ReplayLog;
  /** Values up to this size (JSON) ride the log; larger puts are logged without theirs. */
  logValueBytes: number;
  /** A new replica, or one that dropped its L1, fills it from the newest log entries (0: never). */
  warm: { entries: number; perSecond: number };
}

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

/**
 * Fire-and-forget Redis pub/sub made safe to cache behind. Redis drops messages to a
 * subscriber that is disconnected, so the bus stamps every message with a per-publisher
 * sequence number and the receiver checks them. Heartbeats carry the publisher's last sequence
 * number so a message lost while the publisher was cut off is noticed even when it sends
 * nothing else. A gap or a resubscription sends the replica to the replay log, where it applies
 * exactly what it missed, checked against the same sequence numbers; it drops its L1 only when
 * the log cannot prove it complete. An unreadable message, or a peer gone silent (it may have
 * written while cut off, and its writes never reached the log), still drops L1.
 */
export class CacheBus {
  private seq = 0;
  private readonly peers: Peers;
  /** When one of our publishes last failed: every message says so (see `Envelope.failedAt`). */
  private failedAt = 0;
  private connected = false;
  private everSubscribed = false;
  private heartbeat: NodeJS.Timeout | undefined;
  /** How our own payloads begin: an echo is recognised without being parsed. */
  private readonly ownPrefix: string;
  private readonly follower: LogFollower | undefined;
  private repair: Repair | undefined;
  /**
   * After a resubscription's log is applied: the peers still to be heard from, and the recovery
   * to report once they have been. A peer's publish that failed while we were away never reached
   * the log; its next heartbeat shows the skipped number. Until each peer has spoken (or been
   * forgotten for silence), L1 does not answer.
   */
  private verifying: { peers: Set<string>; repairs: Repaired[] } | undefined;
  /** Send time of the last own message that came back. */
  private lastEcho = 0;
  /** Payloads that arrived while a repair read the log, handled once it is done. */
  private queue: string[] = [];

  constructor(
    private readonly transport: BusTransport,
    private readonly options: BusOptions,
    private readonly listener: BusListener,
    private readonly stats: CacheStats,
    private readonly logger: Logger,
  ) {
    this.ownPrefix = originPrefix(options.origin);
    this.peers = new Peers(options.skewMs);
    this.follower = options.log ? new LogFollower(options.log) : undefined;
  }

  /** Where this replica is in the replay log (tests, diagnostics). */
  get logPosition(): LogPosition | undefined {
    return this.follower?.at;
  }

  get isConnected(): boolean {
    return this.connected;
  }

  /** True while a repair reads and applies the replay log, or waits to hear every peer after it. */
  get isRepairing(): boolean {
    return this.repair !== undefined || this.verifying !== undefined;
  }

  start(): void {
    this.transport.start({
      message: (payload) => this.receive(payload),
      subscribed: () => this.onSubscribed(),
      lost: (reason) => {
        this.connected = false;
        this.listener.connection(false);
        this.logger.warn('bus subscription lost; L1 will be repaired or dropped on resubscribe', { reason });
      },
    });
    this.heartbeat = setInterval(() => void this.sendHeartbeat(), this.options.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Publishes in order in one round trip. False (logged, counted) when Redis could not take them. */
  async publish(messages: readonly BusMessage[]): Promise<boolean> {
    if (messages.length === 0) return true;
    const payloads = messages.map((message) => this.encode(++this.seq, message));
    try {
      if (this.follower) {
        await this.transport.publish(
          payloads,
          messages.map((message, index) => loggedForm(payloads[index]!, message, this.options.logValueBytes)),
        );
      } else await this.transport.publish(payloads);
      for (const message of messages) this.stats.published[message.type]++;
      return true;
    } catch (error) {
      this.failedAt = wallClockMs();
      this.stats.publishFailures += messages.length;
      this.logger.warn('bus publish failed; peers will see a sequence gap', {
        err: error,
        count: messages.length,
      });
      return false;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.transport.publish([this.encode(this.seq, { type: 'leave' })]).catch(() => undefined);
    this.connected = false;
    await this.transport.close();
  }

  private encode(seq: number, message: BusMessage): string {
    return encodeEnvelope({
      format: WIRE_FORMAT,
      origin: this.options.origin,
      seq,
      sentAt: wallClockMs(),
      failedAt: this.failedAt,
      message,
    });
  }

  private async sendHeartbeat(): Promise<void> {
    this.forgetSilentPeers();
    if (this.follower?.at === undefined && this.connected && !this.repair) void this.follower?.locate();
    try {
      await this.transport.publish([this.encode(this.seq, { type: 'heartbeat' })]);
      this.stats.published.heartbeat++;
    } catch {
      this.stats.publishFailures++;
    }
  }

  private onSubscribed(): void {
    const reason = this.everSubscribed ? 'reconnect' : 'subscribe';
    if (this.everSubscribed) this.stats.reconnects++;
    this.everSubscribed = true;
    this.connected = true;
    // With a log, failures are watched for from the first subscription on (or the last flush):
    // one made while we were away must still count.
    if (reason === 'subscribe' || !this.follower) this.peers.listenFrom(wallClockMs());
    this.listener.connection(true);
    this.logger.info('bus subscribed', { reason });
    // Peers keep being watched for silence from now on.
    this.peers.resetSilence();
    if (reason === 'reconnect') this.startRepair('reconnect');
    else {
      // Nothing to repair at the start: L1 is empty, and the log is followed from where it is now.
      this.peers.rebase();
      this.listener.resync(reason);
      if (!this.startWarm()) void this.follower?.locate();
    }
    void this.sendHeartbeat();
  }

  private receive(payload: string): void {
    if (this.repair) {
      this.queue.push(payload);
      return;
    }
    const { mark, envelope } = splitLogMark(payload);
    const ownSentAt = sentAtOf(envelope, this.ownPrefix);
    if (ownSentAt !== undefined) {
      this.stats.dropped.own++;
      this.lastEcho = Math.max(this.lastEcho, ownSentAt);
      if (mark && this.follower?.follow(mark) === 'gap') return this.startRepair('gap');
      this.listener.echo(ownSentAt);
      return;
    }
    const decoded = decodeEnvelope(envelope);
    if (typeof decoded === 'string') {
      this.stats.dropped[decoded]++;
      this.logger.warn('unreadable bus message; dropping L1', { reason: decoded });
      this.listener.resync('unreadable');
      return;
    }
    const { origin, seq, sentAt, message } = decoded.envelope;
    this.stats.received[message.type]++;
    const peer = this.peers.get(origin);
    const now = Date.now();
    if (message.type === 'leave') {
      this.peers.delete(origin);
      return this.heard(origin);
    }
    if (mark && this.follower?.follow(mark) === 'gap') {
      this.stats.gaps++;
      this.queue.push(payload);
      return this.startRepair('gap');
    }
    const failedAt = Math.max(peer?.failedAt ?? 0, decoded.envelope.failedAt);
    // A failure reported anew flushes once and rebases the sequence: the gap it left is covered.
    const lost = this.peers.missedFailure(peer?.failedAt ?? 0, decoded.envelope.failedAt);
    if (lost) this.onLostPublish(origin);
    const last = lost ? undefined : peer?.seq;
    if (message.type === 'heartbeat') {
      if (last === undefined) this.peers.set(origin, { seq, seenAt: now, failedAt });
      else if (seq > last) return this.onGap(origin, last, seq, seq);
      else Object.assign(peer!, { seenAt: now, failedAt });
      return this.heard(origin);
    }
    if (last !== undefined && seq <= last) {
      this.stats.dropped.late++;
      return;
    }
    if (last !== undefined && seq > last + 1 && this.follower) {
      this.queue.push(payload); // before the repair starts: it reads the queue
      return this.onGap(origin, last, seq, seq - 1);
    }
    if (last !== undefined && seq > last + 1) this.onGap(origin, last, seq, seq - 1);
    this.peers.set(origin, { seq, seenAt: now, failedAt });
    this.listener.apply(decoded, wallClockMs() - sentAt, 'live');
    this.heard(origin);
  }

  /** `origin` spoke after a resubscription without showing a loss (or is gone): one fewer to wait for. */
  private heard(origin: string): void {
    const verifying = this.verifying;
    if (verifying === undefined || !verifying.peers.delete(origin) || verifying.peers.size > 0) return;
    this.verifying = undefined;
    this.report(verifying.repairs);
  }

  /** Counts and reports repairs now proven complete (each lets L1 answer up to what is known). */
  private report(repairs: readonly Repaired[]): void {
    for (const { result, startedAt } of repairs) {
      this.stats.repairs[`repaired/${result.trigger}`]++;
      this.stats.repairDuration.observe((performance.now() - startedAt) / 1000);
      this.listener.repaired({ ...result, currentAt: Math.max(result.currentAt, this.lastEcho) });
    }
  }

  /**
   * Drops L1 after a possible loss that the log cannot repair (or without a log: `disabled`,
   * and L1 is dropped for the trigger as before), and reports the recovery.
   */
  private flush(trigger: RepairTrigger, failure: RepairFailure, startedAt = performance.now()): void {
    // Repairs still waiting on peers did not prove complete: this flush is their outcome.
    this.verifying = undefined;
    this.peers.flushed(wallClockMs());
    this.stats.repairDuration.observe((performance.now() - startedAt) / 1000);
    this.stats.repairs[`flushed/${failure}`]++;
    this.peers.rebase();
    this.listener.resync(failure === 'disabled' ? trigger : failure);
    this.listener.repaired({
      trigger,
      outcome: 'flushed',
      reason: failure,
      messages: 0,
      currentAt: wallClockMs(),
    });
    // Not after a lost publish: the log's newest values may be what it overtook.
    if (failure !== 'unlogged') this.startWarm();
  }

  /**
   * Messages may have been missed: with a replay log, read what was missed and apply it, once
   * and in order (a repair already running takes on what this one must prove); without one,
   * drop L1.
   */
  private startRepair(trigger: RepairTrigger | 'warm', origin?: string, seq?: number): void {
    if (!this.follower) return trigger === 'warm' ? undefined : this.flush(trigger, 'disabled');
    const repair = this.repair ?? {
      trigger,
      startedAt: performance.now(),
      required: new Map(),
      again: false,
    };
    if (origin !== undefined && seq !== undefined)
      repair.required.set(origin, Math.max(seq, repair.required.get(origin) ?? 0));
    // L1 stops answering, again if a resubscription let it answer while a repair was running.
    this.listener.repairing();
    if (this.repair) {
      if (trigger === 'reconnect') repair.again = true;
      return;
    }
    this.repair = repair;
    void this.runRepair(repair);
  }

  /** Warms L1 from the newest log entries, if configured; false when not. */
  private startWarm(): boolean {
    if (!this.follower || this.options.warm.entries <= 0) return false;
    this.startRepair('warm');
    return true;
  }

  private async runRepair(repair: Repair): Promise<void> {
    await Promise.resolve(); // never finish inside the call that started it (its caller queues first)
    const readAt = wallClockMs();
    const warm = repair.trigger === 'warm';
    const from = this.follower!.at;
    let read: LogRead | undefined;
    try {
      if (warm)
        read = await this.follower!.log.recent(this.options.warm.entries, this.options.warm.perSecond);
      else read = from === undefined ? undefined : await this.follower!.log.read(from);
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
      if (failure === undefined && (this.peers.get(origin)?.seq ?? -1) < seq) failure = 'unlogged';
    }
    this.follower!.moveTo(read?.position);
    this.repair = undefined;
    this.stats.repairMessages += messages;
    if (failure === undefined) {
      const repaired: Repaired = {
        result: { trigger, outcome: 'repaired', reason: trigger, messages, currentAt: readAt },
        startedAt: repair.startedAt,
      };
      // Any recovery that ends while peers are still to be heard from waits with them; a
      // resubscription waits to hear every peer again.
      const repairs = [...(this.verifying?.repairs ?? []), repaired];
      const peers = trigger === 'reconnect' ? new Set(this.peers.origins()) : this.verifying?.peers;
      if (peers !== undefined && peers.size > 0) this.verifying = { peers, repairs };
      else this.report(repairs);
    } else {
      this.logger.warn('replay log cannot repair what was missed; dropping L1', { reason: failure });
      this.flush(trigger, failure, repair.startedAt);
    }
    this.drain(repair);
  }

  /** After a repair or warm start: run again if it must, then handle what arrived meanwhile. */
  private drain(repair: Repair): void {
    // Messages waited in the queue: peers were not unheard, only not listened to.
    this.peers.resetSilence();
    if (repair.again) this.startRepair('reconnect');
    const queued = this.queue;
    this.queue = [];
    for (const payload of queued) this.receive(payload);
  }

  /**
   * A warm start read the newest entries (or nothing: an empty log, or no answer, and then only
   * where the log stands is learnt). Applied like a repair, except that a value read before the
   * first entry was sent (allowing for clock skew) is left out: an invalidation that overtook it
   * may be older than that entry, and its tombstone is not here. Invalidations always apply.
   */
  private finishWarm(repair: Repair, read: LogRead | undefined): void {
    let messages = 0;
    let hole = false;
    // The first entry's time in the log (its id), not its sender's clock.
    const first = read?.entries[0];
    const floor = first ? Number(first.mark.id.split('-')[0]) + this.options.skewMs : Infinity;
    // A publish that failed from then on may have overtaken a value read since: a peer reporting
    // one (on any message, or an entry below) now means what was warmed cannot be trusted.
    if (first) this.peers.listenBackTo(floor - 2 * this.options.skewMs);
    for (const entry of read?.entries ?? []) {
      const replayed = this.replay(entry.payload, floor);
      if (replayed === 'hole') {
        hole = true;
        break;
      }
      if (replayed === 'applied') messages++;
    }
    this.repair = undefined;
    if (read) this.follower!.moveTo(read.position);
    else void this.follower!.locate();
    if (hole) {
      // A publish that never reached the log sits among the entries: keep none of them.
      this.peers.rebase();
      this.listener.resync('unlogged');
    } else this.stats.warmMessages += messages;
    this.listener.repaired({ trigger: 'warm', messages, currentAt: wallClockMs() });
    this.drain(repair);
  }

  /**
   * Applies one logged message by the rules of a live one, skipping our own and those already
   * applied. A sequence that skips a number means a publish that never reached the log. With
   * `warmFloor` (a warm start), a put read before that wall time is skipped, but still counted.
   */
  private replay(payload: string, warmFloor?: number): 'applied' | 'skipped' | 'hole' {
    const decoded = decodeEnvelope(payload);
    if (typeof decoded === 'string') return 'hole';
    const { origin, seq, sentAt, failedAt, message } = decoded.envelope;
    if (origin === this.options.origin) return 'skipped';
    const peer = this.peers.get(origin);
    const last = peer?.seq;
    if (last !== undefined && seq <= last) return 'skipped';
    if (last !== undefined && seq > last + 1) return 'hole';
    if (this.peers.missedFailure(peer?.failedAt ?? 0, failedAt)) return 'hole';
    this.peers.set(origin, {
      seq,
      seenAt: peer?.seenAt ?? Date.now(),
      failedAt: Math.max(peer?.failedAt ?? 0, failedAt),
    });
    if (warmFloor === undefined) {
      this.listener.apply(decoded, wallClockMs() - sentAt, 'replayed');
      return 'applied';
    }
    if (message.type === 'put' && VersionClock.millisOf(message.version) < warmFloor) return 'skipped';
    this.listener.apply(decoded, wallClockMs() - sentAt, 'warm');
    return 'applied';
  }

  /** The failed publish never reached the log either: nothing can repair it. */
  private onLostPublish(origin: string): void {
    this.stats.gaps++;
    this.logger.warn('a peer failed to publish while we listened; dropping L1', { origin });
    this.flush('gap', this.follower ? 'unlogged' : 'disabled');
  }

  /**
   * `origin`'s messages skip from `last` to `seq`. With a log, repair until the origin has reached
   * `reach`; without one, drop L1 and take `seq` as its new baseline.
   */
  private onGap(origin: string, last: number, seq: number, reach: number): void {
    this.stats.gaps++;
    this.logger.warn('bus sequence gap', { origin, expected: last + 1, got: seq, repair: !!this.follower });
    if (this.follower) return this.startRepair('gap', origin, reach);
    this.flush('gap', 'disabled');
    const failedAt = this.peers.get(origin)?.failedAt ?? 0;
    this.peers.set(origin, { seq, seenAt: Date.now(), failedAt });
  }

  /**
   * Forgets peers unheard of for `silenceMs`, and drops L1 in case they wrote while cut off. Not
   * while our own subscription is down: we hear nobody then, and a peer that stays cut off after
   * we resubscribe must still be noticed (its silence counts from the resubscription).
   */
  private forgetSilentPeers(): void {
    // Nothing is heard while our own subscription is down, and messages wait while a repair runs.
    if (!this.connected || this.repair) return;
    const silent = this.peers.forgetSilent(Date.now() - this.options.silenceMs);
    if (silent.length === 0) return;
    for (const origin of silent) {
      this.verifying?.peers.add(origin); // settled below, once L1 is dropped
      this.logger.warn('peer went silent; dropping L1 in case it wrote while cut off', { origin });
    }
    this.peers.flushed(wallClockMs());
    this.listener.resync('silence');
    for (const origin of [...(this.verifying?.peers ?? [])]) if (!this.peers.has(origin)) this.heard(origin);
  }
}

/** Sub-millisecond wall time, comparable across processes on one machine. */
function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}
