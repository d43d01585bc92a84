import type { Logger } from '../logger';
import type { CacheStats, ResyncReason } from '../stats';
import { type BusMessage, type Decoded } from './message';
import type { BusTransport } from './transport';
/** What the bus asks of the cache it serves. */
export interface BusListener {
    /** A peer's message, in that peer's order, none missing since the last resync. */
    apply(decoded: Decoded, lagMs: number): void;
    /** Messages may have been lost: drop everything that can no longer be trusted. */
    resync(reason: ResyncReason): void;
}
export interface BusOptions {
    /** Unique per cache instance; messages from it are our own and ignored. */
    origin: string;
    /** @default 1000 */
    heartbeatMs: number;
}
/**
 * Fire-and-forget Redis pub/sub made safe to cache behind. Redis drops messages to a
 * subscriber that is disconnected, so the bus stamps every message with a per-publisher
 * sequence number and the receiver checks them: a gap, an unreadable message or a
 * resubscription all make the cache drop what it can no longer trust. Heartbeats carry the
 * publisher's last sequence number so a message lost while the publisher was cut off is
 * noticed even when it sends nothing else.
 */
export declare class CacheBus {
    private readonly transport;
    private readonly options;
    private readonly listener;
    private readonly stats;
    private readonly logger;
    private seq;
    private readonly peers;
    private connected;
    private everSubscribed;
    private heartbeat;
    constructor(transport: BusTransport, options: BusOptions, listener: BusListener, stats: CacheStats, logger: Logger);
    get isConnected(): boolean;
    start(): void;
    /** Publishes in order in one round trip. False (logged, counted) when Redis could not take them. */
    publish(messages: readonly BusMessage[]): Promise<boolean>;
    close(): Promise<void>;
    private encode;
    private sendHeartbeat;
    private onSubscribed;
    private receive;
    private onGap;
    private forgetSilentPeers;
}
//# sourceMappingURL=bus.d.ts.map