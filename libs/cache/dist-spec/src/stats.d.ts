export type ResyncReason = 'subscribe' | 'reconnect' | 'gap' | 'unreadable';
export type DropReason = 'own' | 'late' | 'stale' | 'malformed' | 'format';
type Tally<K extends string> = Record<K, number>;
/**
 * Every path through the cache increments one named counter here, as plain numbers, so the
 * read path stays a few field increments; Prometheus metrics are read from it at scrape time.
 */
export declare class CacheStats {
    /** L1 hits on entries this replica loaded or wrote. */
    ownHits: number;
    /** L1 hits on entries a peer published. */
    subscriptionHits: number;
    /** L1 misses answered by the shared Redis tier. */
    l2Fills: number;
    /** L1 misses answered by the loader (the source). */
    sourceFills: number;
    /** Lookups with no value anywhere (`get` misses, loaders returning undefined). */
    misses: number;
    /** Concurrent lookups that joined a load already in flight instead of calling the loader. */
    loadsDeduplicated: number;
    loaderErrors: number;
    /** Values larger than `bus.maxValueBytes`: peers were told to drop their copy instead. */
    valuesTooLarge: number;
    /** Values a store refused (no room, or a fill older than a remembered invalidation). */
    storesRejected: number;
    evictions: Tally<"capacity" | "expired">;
    /** Whole-L1 drops because entries could no longer be trusted. */
    resyncs: Tally<ResyncReason>;
    published: Tally<"put" | "delete" | "deletePattern" | "clear" | "heartbeat">;
    publishFailures: number;
    received: Tally<"put" | "delete" | "deletePattern" | "clear" | "heartbeat">;
    dropped: Tally<DropReason>;
    reconnects: number;
    gaps: number;
    redisErrors: Record<string, number>;
    get hits(): number;
}
export {};
//# sourceMappingURL=stats.d.ts.map