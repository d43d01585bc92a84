import { wallClockMs } from '../clock';
import type { Logger } from '../logger';
import type { CacheStats } from '../stats';
import type { BusListener } from './listener';
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
} from './message';
import { Peers } from './peers';
import { Recovery } from './recovery';
import type { LogPosition, ReplayLog } from './replay-log';
import type { BusTransport } from './transport';

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

/**
 * Fire-and-forget Redis pub/sub made safe to cache behind. Redis drops messages to a
 * subscriber that is disconnected, so the bus stamps every message with a per-publisher
 * sequence number and the receiver checks them. Heartbeats carry the publisher's last sequence
 * number so a message lost while the publisher was cut off is noticed even when it sends
 * nothing else. A gap or a resubscription sends the replica to the replay log, where it applies
 * exactly what it missed, checked against the same sequence numbers; it drops its L1 only when
 * the log cannot prove it complete. An unreadable message, or a peer gone silent (it may have
 * written while cut off, and its writes never reached the log), still drops L1. The bus notices
 * losses; what it knows of each peer is in `Peers`, and the repair itself runs in `Recovery`.
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
  private readonly recovery: Recovery;
  /** Send time of the last own message that came back. */
  private lastEcho = 0;

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
    this.recovery = new Recovery({
      follower: this.follower,
      peers: this.peers,
      listener,
      stats,
      logger,
      options,
      receive: (payload) => this.receive(payload),
      lastEcho: () => this.lastEcho,
    });
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
    return this.recovery.isRepairing;
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
    if (this.follower?.at === undefined && this.connected && !this.recovery.isReading)
      void this.follower?.locate();
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
    if (reason === 'reconnect') this.recovery.start('reconnect');
    else {
      // Nothing to repair at the start: L1 is empty, and the log is followed from where it is now.
      this.peers.rebase();
      this.listener.resync(reason);
      if (!this.recovery.startWarm()) void this.follower?.locate();
    }
    void this.sendHeartbeat();
  }

  private receive(payload: string): void {
    if (this.recovery.isReading) return this.recovery.hold(payload);
    const { mark, envelope } = splitLogMark(payload);
    const ownSentAt = sentAtOf(envelope, this.ownPrefix);
    if (ownSentAt !== undefined) {
      this.stats.dropped.own++;
      this.lastEcho = Math.max(this.lastEcho, ownSentAt);
      if (mark && this.follower?.follow(mark) === 'gap') return this.recovery.start('gap');
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
      return this.recovery.heard(origin);
    }
    if (mark && this.follower?.follow(mark) === 'gap') {
      this.stats.gaps++;
      this.recovery.hold(payload);
      return this.recovery.start('gap');
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
      return this.recovery.heard(origin);
    }
    if (last !== undefined && seq <= last) {
      this.stats.dropped.late++;
      return;
    }
    if (last !== undefined && seq > last + 1 && this.follower) {
      this.recovery.hold(payload); // before the repair starts: it reads the queue
      return this.onGap(origin, last, seq, seq - 1);
    }
    if (last !== undefined && seq > last + 1) this.onGap(origin, last, seq, seq - 1);
    this.peers.set(origin, { seq, seenAt: now, failedAt });
    this.listener.apply(decoded, wallClockMs() - sentAt, 'live');
    this.recovery.heard(origin);
  }

  /** The failed publish never reached the log either: nothing can repair it. */
  private onLostPublish(origin: string): void {
    this.stats.gaps++;
    this.logger.warn('a peer failed to publish while we listened; dropping L1', { origin });
    this.recovery.flush('gap', this.follower ? 'unlogged' : 'disabled');
  }

  /**
   * `origin`'s messages skip from `last` to `seq`. With a log, repair until the origin has reached
   * `reach`; without one, drop L1 and take `seq` as its new baseline.
   */
  private onGap(origin: string, last: number, seq: number, reach: number): void {
    this.stats.gaps++;
    this.logger.warn('bus sequence gap', { origin, expected: last + 1, got: seq, repair: !!this.follower });
    if (this.follower) return this.recovery.start('gap', origin, reach);
    this.recovery.flush('gap', 'disabled');
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
    if (!this.connected || this.recovery.isReading) return;
    const silent = this.peers.forgetSilent(Date.now() - this.options.silenceMs);
    if (silent.length === 0) return;
    for (const origin of silent) {
      this.logger.warn('peer went silent; dropping L1 in case it wrote while cut off', { origin });
    }
    this.peers.flushed(wallClockMs());
    this.listener.resync('silence');
    this.recovery.forgotten(silent);
  }
}
