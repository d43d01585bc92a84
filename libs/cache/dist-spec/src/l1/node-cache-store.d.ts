import type { EvictionListener, L1Bounds, L1Entry, L1Store } from './store';
/**
 * An L1 on node-cache, the store the design card names. node-cache cannot evict: at `maxKeys`
 * it refuses new keys. This adapter keeps that behaviour visible: a set that would exceed the
 * bounds is refused and counted as a capacity eviction of the new value. Prefer `LruStore`.
 */
export declare class NodeCacheStore<V = unknown> implements L1Store<V> {
    private readonly bounds;
    private readonly onEvict;
    private readonly cache;
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
    private trySet;
}
//# sourceMappingURL=node-cache-store.d.ts.map