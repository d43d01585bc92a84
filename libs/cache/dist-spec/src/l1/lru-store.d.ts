import type { EvictionListener, L1Bounds, L1Entry, L1Store } from './store';
/**
 * The default L1: a Map kept in recency order (a hit moves its key to the end), bounded by
 * entry count and by bytes. Eviction takes the least recently used key from the front.
 */
export declare class LruStore<V = unknown> implements L1Store<V> {
    private readonly bounds;
    private readonly onEvict;
    private readonly map;
    private byteCount;
    constructor(bounds: L1Bounds, onEvict?: EvictionListener);
    get entries(): number;
    get bytes(): number;
    get(key: string): L1Entry<V> | undefined;
    peek(key: string): L1Entry<V> | undefined;
    set(key: string, entry: L1Entry<V>): boolean;
    delete(key: string): boolean;
    keys(): IterableIterator<string>;
    clear(): void;
    private remove;
}
//# sourceMappingURL=lru-store.d.ts.map