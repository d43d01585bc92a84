import type { RedisOptions } from 'ioredis';
import type { Registry } from 'prom-client';
import type { BusTransport } from './bus/transport';
import type { L1Bounds, L1Store, EvictionListener } from './l1/store';
import type { Logger } from './logger';
export interface CacheOptions {
    /** Names the cache in metrics (`cache` label) and its Redis channel and keys; letters, digits, `_.-`. */
    name: string;
    /** A `redis://` URL or ioredis options. The cache opens its own connections from it. */
    redis: string | RedisOptions;
    /** Names this replica in logs and stats. @default `${hostname()}-${process.pid}` */
    replicaId?: string;
    l1?: Partial<L1Bounds> & {
        /** The store: the bounded LRU, the node-cache adapter, or your own. @default 'lru' */
        store?: 'lru' | 'node-cache' | ((bounds: L1Bounds, onEvict: EvictionListener) => L1Store);
    };
    /** Default time to live of an entry. @default 300_000 */
    ttlMs?: number;
    /** Each entry's TTL is shortened by up to this fraction at random, so entries loaded together do not expire together. @default 0.1 */
    ttlJitter?: number;
    bus?: {
        /** Values whose JSON is larger are not sent; peers drop their copy instead. @default 65_536 */
        maxValueBytes?: number;
        /** @default 1000 */
        heartbeatMs?: number;
        /** Wraps the real transport (fault injection in tests). */
        wrapTransport?: (transport: BusTransport) => BusTransport;
    };
    /** How long invalidations are remembered to defeat late fills; also the oldest fill accepted. @default 30_000 */
    tombstoneTtlMs?: number;
    /** Redis as a shared second tier. @default { enabled: false } */
    l2?: {
        enabled: boolean;
    };
    /** Where the metrics go. @default prom-client's global registry */
    registry?: Registry;
    /** @default silent */
    logger?: Logger;
}
export type ResolvedOptions = Required<Omit<CacheOptions, 'registry' | 'logger' | 'l1' | 'bus' | 'l2'>> & {
    l1: L1Bounds & {
        store: NonNullable<NonNullable<CacheOptions['l1']>['store']>;
    };
    bus: {
        maxValueBytes: number;
        heartbeatMs: number;
        wrapTransport?: (t: BusTransport) => BusTransport;
    };
    l2: {
        enabled: boolean;
    };
    registry?: Registry;
    logger?: Logger;
};
/** Fills in defaults and rejects values that cannot work, naming the option to change. */
export declare function resolveOptions(options: CacheOptions): ResolvedOptions;
export declare function assertTtl(ttlMs: number): void;
//# sourceMappingURL=options.d.ts.map