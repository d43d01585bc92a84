import type { Logger } from '../logger';
import type { CacheStats, ResyncReason } from '../stats';
import { decodeEnvelope, encodeEnvelope, WIRE_FORMAT, type BusMessage, type Decoded } from './message';
import type { BusTransport } from './transport';

/** What the bus asks of the cache it serves. */
export interface BusListener {
  /** A peer's message, in that peer's order, none missing since the last resync. */
  apply(decoded: Decoded, lagMs: number): void;
  /** Messages may have been lost: drop everything that can no longer be trusted. */
  resync(reason: ResyncReason): void;
  /**
   * Whether this replica hears its peers: `connected` (the subscription is in place) and
   * `current` (its own messages come back within `maxLagMs`, so peers' ones do too).
   */
  health(health: { connected: boolean; current: boolean }): void;
}

export interface BusOptions {
  /** Unique per cache instance; messages from it are our own and ignored. */
  origin: string;
  /** @default 1000 */
  heartbeatMs: number;
  /** A subscription whose own messages take longer than this to come back is behind. @default 3 heartbeats */
  maxLagMs: number;
}

/**
 * A peer unheard of for this many heartbeats is forgotten, and suspected: it may have written to
 * the source while cut off from Redis, so its invalidations never arrived. A peer that closes
 * says `leave` first and is forgotten without suspicion.
 */
const PEER_SILENCE_HEARTBEATS = 3;

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
  private readonly peers = new Map<string, { seq: number; seenAt: number }>();
  private connected = false;
  private everSubscribed = false;
  /** When one of our own messages last came back through the subscription. */
  private echoAt = 0;
  private lagging = false;
  private reported = { connected: false, current: false };
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly transport: BusTransport,
    private readonly options: BusOptions,
    private readonly listener: BusListener,
    private readonly stats: CacheStats,
    private readonly logger: Logger,
  ) {}

  get isConnected(): boolean {
    return this.connected;
  }

  start(): void {
    this.transport.start({
      message: (payload) => this.receive(payload),
      subscribed: () => this.onSubscribed(),
      lost: (reason) => {
        this.connected = false;
        this.reportHealth();
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
      message,
    });
  }

  private async sendHeartbeat(): Promise<void> {
    this.forgetSilentPeers();
    this.reportHealth();
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
    this.echoAt = Date.now();
    this.reportHealth();
    this.peers.clear();
    this.listener.resync(reason);
    this.logger.info('bus subscribed', { reason });
    void this.sendHeartbeat();
  }

  private receive(payload: string): void {
    const decoded = decodeEnvelope(payload);
    if (typeof decoded === 'string') {
      this.stats.dropped[decoded]++;
      this.logger.warn('unreadable bus message; dropping L1', { reason: decoded });
      this.listener.resync('unreadable');
      return;
    }
    const { origin, seq, sentAt, message } = decoded.envelope;
    if (origin === this.options.origin) {
      this.stats.dropped.own++;
      this.echoAt = Date.now(); // our own message came back: the subscription is current up to it
      this.lagging = wallClockMs() - sentAt > this.options.maxLagMs;
      this.reportHealth();
      return;
    }
    this.stats.received[message.type]++;
    const peer = this.peers.get(origin);
    const now = Date.now();
    if (message.type === 'leave') {
      this.peers.delete(origin);
      return;
    }
    if (message.type === 'heartbeat') {
      if (peer === undefined) this.peers.set(origin, { seq, seenAt: now });
      else if (seq > peer.seq) this.onGap(origin, peer.seq, seq);
      else peer.seenAt = now;
      return;
    }
    if (peer !== undefined && seq <= peer.seq) {
      this.stats.dropped.late++;
      return;
    }
    if (peer !== undefined && seq > peer.seq + 1) this.onGap(origin, peer.seq, seq);
    this.peers.set(origin, { seq, seenAt: now });
    this.listener.apply(decoded, wallClockMs() - sentAt);
  }

  private onGap(origin: string, last: number, seq: number): void {
    this.stats.gaps++;
    this.peers.set(origin, { seq, seenAt: Date.now() });
    this.logger.warn('bus sequence gap; dropping L1', { origin, expected: last + 1, got: seq });
    this.listener.resync('gap');
  }

  /** Tells the listener when hearing peers changes; a stalled subscription shows as no echo of our own heartbeats. */
  private reportHealth(): void {
    const current = this.connected && !this.lagging && Date.now() - this.echoAt <= this.options.maxLagMs;
    if (this.connected === this.reported.connected && current === this.reported.current) return;
    this.reported = { connected: this.connected, current };
    if (this.connected && !current)
      this.logger.warn('bus subscription is behind; reading the source until it catches up');
    this.listener.health(this.reported);
  }

  private forgetSilentPeers(): void {
    const cutoff = Date.now() - PEER_SILENCE_HEARTBEATS * this.options.heartbeatMs;
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
