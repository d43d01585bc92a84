import { RedisGateway } from './redis/gateway';
/** A value read from L2 with the version it was written at. */
export interface L2Value {
    value: unknown;
    json: string;
    version: number;
}
/**
 * Redis as an optional shared second tier: a replica's L1 miss can be answered without the
 * source. Values are stored as `<version>|<json>`; an empty JSON part is a delete marker.
 */
export declare class RedisL2 {
    private readonly gateway;
    private readonly prefix;
    private readonly tombstoneTtlMs;
    constructor(gateway: RedisGateway, prefix: string, tombstoneTtlMs: number);
    get(key: string): Promise<L2Value | undefined>;
    /** All keys in one MGET; misses and failures are undefined. */
    getMany(keys: readonly string[]): Promise<(L2Value | undefined)[]>;
    set(key: string, json: string, version: number, ttlMs: number): Promise<void>;
    /** All writes in one pipelined round trip. */
    setMany(entries: readonly {
        key: string;
        json: string;
        version: number;
        ttlMs: number;
    }[]): Promise<void>;
    delete(key: string, version: number): Promise<void>;
    /** Deletes matching keys with SCAN + UNLINK (never KEYS); returns how many went. */
    deleteByPattern(pattern: string): Promise<number>;
}
//# sourceMappingURL=l2.d.ts.map