import type { BusTransport, TransportHandlers } from '../../src';
/**
 * Wraps the real Redis transport to inject the faults Redis cannot produce on demand:
 * dropping, duplicating and reordering delivered messages, and failing publishes.
 */
export declare class FaultyTransport implements BusTransport {
    private readonly inner;
    private held;
    private dropNext;
    private duplicate;
    private failPublishes;
    delivered: number;
    constructor(inner: BusTransport);
    start(handlers: TransportHandlers): void;
    publish(payloads: readonly string[]): Promise<void>;
    close(): Promise<void>;
    /** Drops the next `count` non-heartbeat messages delivered to this replica. */
    drop(count: number): void;
    /** Delivers every message twice. */
    duplicateAll(enabled?: boolean): void;
    /** Fails the next `count` publishes from this replica as a lost publisher connection would. */
    failNextPublishes(count: number): void;
    /** Buffers delivered messages (heartbeats included) until `release`. */
    hold(): void;
    /**
     * Delivers buffered messages, in order or reversed, and returns how many. Held heartbeats are
     * discarded (the next one carries the same news), so a reordered heartbeat cannot mask the case under test.
     */
    release(order?: 'in-order' | 'reversed'): number;
    heldCount(predicate?: (payload: string) => boolean): number;
    private deliver;
}
export declare function isHeartbeat(payload: string): boolean;
/** Options that give a replica a FaultyTransport; read it back from `.transport` once created. */
export declare function faulty(): {
    bus: {
        heartbeatMs: number;
        wrapTransport: (t: BusTransport) => BusTransport;
    };
    transport: () => FaultyTransport;
};
//# sourceMappingURL=faulty-transport.d.ts.map