import type { EventEmitter } from 'node:events';
import type { BusListener, RepairResult, WarmResult } from './bus/listener';
import type { BusMessage, Decoded } from './bus/message';
import { localMs } from './clock';
import type { ReplicaMemory } from './replica-memory';
import type { CacheStats, ResyncReason } from './stats';

export interface CacheEvents {
  /** The bus subscription is in place (first time or again). */
  subscribed: [];
  /** L1 was dropped because messages may have been missed (and the replay log could not repair it). */
  resync: [reason: ResyncReason];
  /** A recovery after possibly missed messages ended: repaired from the replay log, or flushed. */
  repair: [outcome: RepairResult['outcome'], reason: RepairResult['reason'], messages: number];
  /** A warm start filled L1 from the newest replay log entries (`messages` applied). */
  warmed: [messages: number];
  /** A peer's message was applied `lagMs` after it was published. */
  applied: [message: BusMessage, lagMs: number];
}

/**
 * What the cache does with what its bus learns: applies peers' messages to L1, drops L1 when
 * messages may have been lost, and moves the staleness bound (how long L1 may answer reads) with
 * every echo of our own messages, every subscription and every recovery. Each is reported as one
 * of the cache's events. The rules of what a message may change live in `ReplicaMemory`; this is
 * only when they are applied and how far L1 is trusted.
 */
export class CoherenceListener<V> implements BusListener {
  constructor(
    private readonly memory: ReplicaMemory<V>,
    private readonly stats: CacheStats,
    private readonly events: EventEmitter<CacheEvents>,
    /** The bus's state, read when it reports (the bus is built with this listener). */
    private readonly bus: () => { isConnected: boolean; isRepairing: boolean },
    private readonly settings: { maxLagMs: number; whileDisconnected: 'bypass' | 'serve' },
  ) {}

  /** Applies a peer's message (in that peer's order, none missing since the last resync). */
  apply(decoded: Decoded, lagMs: number, source: 'live' | 'replayed' | 'warm'): void {
    if (source === 'live') this.stats.busLag.observe(lagMs / 1000);
    this.memory.applyPeer(decoded, source === 'warm');
    this.events.emit('applied', decoded.envelope.message, lagMs);
  }

  /** Messages may have been lost: drop what can no longer be trusted. */
  resync(reason: ResyncReason): void {
    this.stats.resyncs[reason]++;
    this.memory.distrust();
    this.events.emit('resync', reason);
    if (reason === 'subscribe') this.events.emit('subscribed');
  }

  /**
   * The staleness bound: connected, L1 answers for `maxLagMs` past what we know we have heard;
   * disconnected, per `whileDisconnected`.
   */
  connection(connected: boolean): void {
    const { whileDisconnected, maxLagMs } = this.settings;
    if (connected) this.memory.answerUntil(Date.now() + maxLagMs);
    else this.memory.answerUntil(whileDisconnected === 'serve' ? Infinity : 0);
  }

  /**
   * L1 may answer up to maxLagMs past the last moment we know we had heard everything. Send
   * times are on the fleet's clock; L1 keeps the bound on the machine's.
   */
  echo(sentAt: number): void {
    const bus = this.bus();
    if (bus.isConnected && !bus.isRepairing)
      this.memory.answerAtLeastUntil(localMs(sentAt) + this.settings.maxLagMs);
  }

  repairing(): void {
    this.memory.answerUntil(0);
  }

  /**
   * A recovery ended. Every message published before `currentAt` has been applied, so L1 answers
   * for `maxLagMs` past it, as after an own message's echo (unless the subscription is gone again).
   */
  repaired(result: RepairResult | WarmResult): void {
    if (this.bus().isConnected) this.memory.answerUntil(localMs(result.currentAt) + this.settings.maxLagMs);
    else this.connection(false);
    if (result.trigger === 'warm') return void this.events.emit('warmed', result.messages);
    this.events.emit('repair', result.outcome, result.reason, result.messages);
    if (result.trigger === 'reconnect') this.events.emit('subscribed');
  }
}
