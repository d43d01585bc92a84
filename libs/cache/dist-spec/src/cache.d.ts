import { EventEmitter } from 'node:events';
import type { BusMessage } from './bus/message';
import type { EntryOrigin } from './l1/store';
import { type CacheOptions } from './options';
import { CacheStats, type ResyncReason } from './stats';
/** Where a lookup's value came from. */
export type FilledFrom = EntryOrigin | 'source';
export interface Lookup<V> {
    /** Undefined when neither the cache nor the loader had a value. */
    value: V | undefined;
    /** `own` and `subscription` are L1 hits; `l2` and `source` are misses. */
    from: FilledFrom | undefined;
}
export type Loader<V> = (key: string) => Promise<V | undefined> | V | undefined;
/** Loads many keys at once; keys missing from the returned map have no value. */
export type BatchLoader<V> = (keys: string[]) => Promise<Map<string, V>>;
export interface EntryOptions {
    /** This entry's TTL. @default the cache's `ttlMs` */
    ttlMs?: number;
}
/** What a write did beyond this replica. */
export interface WriteResult {
    /** False when the bus could not take the message: peers learn of it as a sequence gap instead. */
    propagated: boolean;
}
export interface CacheEvents {
    /** The bus subscription is in place (first time or again). */
    subscribed: [];
    /** L1 was dropped because messages may have been missed. */
    resync: [reason: ResyncReason];
    /** A peer's message was applied `lagMs` after it was published. */
    applied: [message: BusMessage, lagMs: number];
}
/**
 * An in-process cache whose replicas stay coherent through Redis pub/sub.
 *
 * Reads are served from this process's memory (L1). A value loaded from the source, or
 * written with `set`, is published so every peer stores it without touching the source; deletes,
 * pattern deletes and clears reach every peer the same way. Every value and invalidation
 * carries a version from a hybrid logical clock, and invalidations leave short-lived
 * tombstones, so a fill that arrives after a newer delete loses. When the bus may have lost
 * messages (resubscription, sequence gap) the replica drops its L1 rather than serve what it
 * can no longer trust. Redis failures degrade to L1 and the source; they never fail a read.
 */
export declare class CoherentCache<V = unknown> extends EventEmitter<CacheEvents> {
    readonly name: string;
    readonly replicaId: string;
    /** Cumulative counters of every path through the cache; the Prometheus metrics read these. */
    readonly stats: CacheStats;
    private readonly options;
    private readonly logger;
    private readonly l1;
    private readonly clock;
    private readonly tombstones;
    private readonly loads;
    private readonly gateway;
    private readonly bus;
    private readonly l2;
    private readonly metrics;
    private readonly pending;
    private readonly sweeper;
    private closed;
    /** Values read before this version may have missed an invalidation (see `resync`). */
    private trustedSince;
    constructor(options: CacheOptions);
    /** True while Redis answers commands and the bus subscription is in place. */
    get isReady(): boolean;
    get l1Entries(): number;
    get l1Bytes(): number;
    get busConnected(): boolean;
    /** Resolves once the cache is ready; rejects with `RedisUnavailableError` after `timeoutMs`. */
    ready(timeoutMs?: number): Promise<void>;
    /** The value from L1, else from the loader (once per key per process, however many callers wait). */
    getOrLoad(key: string, loader: Loader<V>, options?: EntryOptions): Promise<V | undefined>;
    /** `getOrLoad`, also telling where the value came from (for `X-Cache-Status`-style headers). */
    lookup(key: string, loader: Loader<V>, options?: EntryOptions): Promise<Lookup<V>>;
    /** The value from L1 or L2, without loading. */
    get(key: string): Promise<V | undefined>;
    /** Many keys: L1 first, then one L2 MGET, then one batch load; the loaded values go out in one pipeline. */
    lookupMany(keys: readonly string[], loader?: BatchLoader<V>, options?: EntryOptions): Promise<Map<string, Lookup<V>>>;
    /** `lookupMany` reduced to the values found. */
    getMany(keys: readonly string[], loader?: BatchLoader<V>, options?: EntryOptions): Promise<Map<string, V>>;
    /** Writes a value here, to L2, and to every peer. */
    set(key: string, value: V, options?: EntryOptions): Promise<WriteResult>;
    /** Writes many values; peers receive them in one pipelined round trip. */
    setMany(entries: Iterable<readonly [string, V]>, options?: EntryOptions): Promise<WriteResult>;
    /** Removes a key here, in L2, and on every peer; a fill older than this delete is refused everywhere. */
    delete(key: string): Promise<WriteResult>;
    /** Removes every key matching a Redis-style glob, here, in L2 and on every peer. */
    deleteByPattern(pattern: string): Promise<WriteResult & {
        removed: number;
    }>;
    /** Empties this cache here, in L2 and on every peer. */
    clear(): Promise<WriteResult>;
    /** Stops the bus, waits for publishes in flight, and closes the Redis connections. */
    close(): Promise<void>;
    private loadMissing;
    private timeLoad;
    private readL2;
    /**
     * Stores values read from the source at `version` and tells peers and L2. Values older than a
     * remembered invalidation are returned to the caller but neither stored nor sent.
     */
    private writeMany;
    /**
     * Puts an entry in L1 unless it may be stale: read (at `readAt`) before the last resync, older
     * than a remembered invalidation, or older than the entry already there.
     */
    private store;
    private trusts;
    private apply;
    /**
     * Messages may have been lost: nothing in L1 can be trusted, nor any value read before now
     * (a load in flight may have missed the invalidation that was lost).
     */
    private resync;
    private deleteLocalPattern;
    private countHit;
    private ttlOf;
    private track;
    private createStore;
    private connect;
    private closedError;
}
/** Creates a cache and starts connecting; `await cache.ready()` to wait for the bus. */
export declare function createCache<V = unknown>(options: CacheOptions): CoherentCache<V>;
//# sourceMappingURL=cache.d.ts.map