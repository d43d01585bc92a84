import { Registry } from 'prom-client';
import { RedisServer } from '@clustache/testing';
import { type CacheOptions, type CoherentCache } from '../../src';
/**
 * Builds caches on one real redis-server the suite owns, as replicas of one service would be,
 * each with its own metrics registry; `cleanup()` closes them all and stops the server.
 */
export declare class Replicas {
    readonly redis: RedisServer;
    private readonly caches;
    private counter;
    private constructor();
    static start(): Promise<Replicas>;
    /** One replica of cache `name`, ready (subscribed) unless `ready: false`. */
    replica<V = unknown>(overrides?: Partial<CacheOptions>, { ready }?: {
        ready?: boolean;
    }): Promise<CoherentCache<V> & {
        registry: Registry;
    }>;
    /** `count` ready replicas of the same cache. */
    many<V = unknown>(count: number, overrides?: Partial<CacheOptions>): Promise<(CoherentCache<V> & {
        registry: Registry;
    })[]>;
    cleanup(): Promise<void>;
}
/** A loader that counts its calls, answering `value(key)` after `delayMs`. */
export declare function countingLoader<V>(value: (key: string) => V, delayMs?: number): ((key: string) => Promise<V>) & {
    calls: string[];
};
//# sourceMappingURL=replicas.d.ts.map