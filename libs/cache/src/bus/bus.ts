import type { Logger } from '../logger';
import type { CacheStats, ResyncReason } from '../stats';
import {
  decodeEnvelope,
  encodeEnvelope,
  originPrefix,
  sentAtOf,
  WIRE_FORMAT,
  type BusMessage,
  type Decoded,
} from './message';
import type { BusTransport } from './transport';

/** What the bus asks of the cache it serves. */
export interface BusListener {
  /** A peer's message, in that peer's order, none missing since the last resync. */
  apply(decoded: Decoded, lagMs: number): void;
  /** Messages may have been lost: drop everything that can no longer be trusted. */
  resync(reason: ResyncReason): void;
  /** The subscription was lost (false) or is in place again (true, before the resync). */
  connection(connected: boolean): void;
  /**
   * One of our own messages, sent at `sentAt` (wall ms), came back: every message Redis took
   * before it has reached us, so we are current up to `sentAt`.
   */
  echo(sentAt: number): void;
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
}

/**
 * Fire-and-forget Redis pub/sub made safe to cache behind. Redis drops messages to a
 * subscriber that is disconnected, so the bus stamps every message with a per-publisher
 * sequence number and the receiver checks them: a gap, an unreadable message or a
 * resubscription all make the cache drop what it can no longer trust. Heartbeats carry the
 * publisher's last sequence number so a message lost while the publisher was cut off is
 * noticed even when it sends nothing else.
 */
export class CacheBus {
  private seq = 0;
  /**
   * Peers by origin: their last sequence number (undefined: take the next as the baseline), when
   * last heard, and the latest publish failure they reported.
   */
  private readonly peers = new Map<string, { seq: number | undefined; seenAt: number; failedAt: number }>();
  /** When one of our publishes last failed: every message says so (see `Envelope.failedAt`). */
  private failedAt = 0;
  /** Wall time of the current subscription; a peer's failure after it is a message we missed. */
  private subscribedAt = 0;
  private connected = false;
  private everSubscribed = false;
  private heartbeat: NodeJS.Timeout | undefined;
  /** How our own payloads begin: an echo is recognised without being parsed. */
  private readonly ownPrefix: string;

  constructor(
    private readonly transport: BusTransport,
    private readonly options: BusOptions,
    private readonly listener: BusListener,
    private readonly stats: CacheStats,
    private readonly logger: Logger,
  ) {
    this.ownPrefix = originPrefix(options.origin);
  }

  get isConnected(): boolean {
    return this.connected;
  }

  start(): void {
    this.transport.start({
      message: (payload) => this.receive(payload),
      subscribed: () => this.onSubscribed(),
      lost: (reason) => {
        this.connected = false;
        this.listener.connection(false);
        this.logger.warn('bus subscription lost; L1 will be dropped on resubscribe', { reason });
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
      await this.transport.publish(payloads);
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
    this.subscribedAt = wallClockMs();
    this.listener.connection(true);
    // What was missed is dropped by the resync; peers keep being watched for silence from now on.
    for (const peer of this.peers.values()) Object.assign(peer, { seq: undefined, seenAt: Date.now() });
    this.listener.resync(reason);
    this.logger.info('bus subscribed', { reason });
    void this.sendHeartbeat();
  }

  private receive(payload: string): void {
    const ownSentAt = sentAtOf(payload, this.ownPrefix);
    if (ownSentAt !== undefined) {
      this.stats.dropped.own++;
      this.listener.echo(ownSentAt);
      return;
    }
    const decoded = decodeEnvelope(payload);
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
      return;
    }
    const failedAt = Math.max(peer?.failedAt ?? 0, decoded.envelope.failedAt);
    // A failure reported anew resyncs once and rebases the sequence: the gap it left is covered.
    const lost = this.missedFailure(peer?.failedAt ?? 0, decoded.envelope.failedAt);
    if (lost) this.onLostPublish(origin);
    const last = lost ? undefined : peer?.seq;
    if (message.type === 'heartbeat') {
      if (last === undefined) this.peers.set(origin, { seq, seenAt: now, failedAt });
      else if (seq > last) this.onGap(origin, last, seq);
      else Object.assign(peer!, { seenAt: now, failedAt });
      return;
    }
    if (last !== undefined && seq <= last) {
      this.stats.dropped.late++;
      return;
    }
    if (last !== undefined && seq > last + 1) this.onGap(origin, last, seq);
    this.peers.set(origin, { seq, seenAt: now, failedAt });
    this.listener.apply(decoded, wallClockMs() - sentAt);
  }

  /**
   * A peer reports a failed publish we have not seen reported before, made while we were
   * subscribed (allowing for clock skew): a sequence gap cannot show it when our baseline for that
   * peer was taken after the failure, so it counts as one.
   */
  private missedFailure(known: number, reported: number): boolean {
    return reported > known && reported + this.options.skewMs >= this.subscribedAt;
  }

  private onLostPublish(origin: string): void {
    this.stats.gaps++;
    this.logger.warn('a peer failed to publish while we listened; dropping L1', { origin });
    this.listener.resync('gap');
  }

  private onGap(origin: string, last: number, seq: number): void {
    this.stats.gaps++;
    const failedAt = this.peers.get(origin)?.failedAt ?? 0;
    this.peers.set(origin, { seq, seenAt: Date.now(), failedAt });
    this.logger.warn('bus sequence gap; dropping L1', { origin, expected: last + 1, got: seq });
    this.listener.resync('gap');
  }

  private forgetSilentPeers(): void {
    const cutoff = Date.now() - this.options.silenceMs;
    let silent = false;
    for (const [origin, peer] of this.peers) {
      if (peer.seenAt >= cutoff) continue;
      this.peers.delete(origin);
      silent = true;
      this.logger.warn('peer went silent; dropping L1 in case it wrote while cut off', { origin });
    }
    if (silent && this.connected) this.listener.resync('silence');
  }
}

/** Sub-millisecond wall time, comparable across processes on one machine. */
function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}
