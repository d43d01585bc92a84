import type Redis from 'ioredis';
import type { Logger } from '../logger';
import type { RedisGateway } from '../redis/gateway';
/** What a transport tells the bus. */
export interface TransportHandlers {
    message(payload: string): void;
    /** The subscription is (again) in place; messages from now on will arrive. */
    subscribed(): void;
    /** The subscription is gone; messages published from now on are lost to this replica. */
    lost(reason: string): void;
}
/**
 * Moves payloads between replicas. The Redis pub/sub transport is the real one; tests wrap it
 * to drop, duplicate or reorder messages that the real transport delivered.
 */
export interface BusTransport {
    start(handlers: TransportHandlers): void;
    /** Sends payloads in order in one round trip; rejects when they could not be sent. */
    publish(payloads: readonly string[]): Promise<void>;
    close(): Promise<void>;
}
/**
 * Redis pub/sub on one channel. The subscriber has its own connection (a subscribed connection
 * cannot run other commands) and resubscribes itself after every reconnect, reporting each
 * loss and recovery so the bus can distrust what it may have missed.
 */
export declare class RedisPubSubTransport implements BusTransport {
    private readonly subscriber;
    private readonly gateway;
    private readonly channel;
    private readonly logger;
    private subscribedNow;
    constructor(subscriber: Redis, gateway: RedisGateway, channel: string, logger: Logger);
    start(handlers: TransportHandlers): void;
    publish(payloads: readonly string[]): Promise<void>;
    close(): Promise<void>;
}
//# sourceMappingURL=transport.d.ts.map