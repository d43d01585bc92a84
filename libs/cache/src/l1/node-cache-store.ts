import NodeCache from 'node-cache';
import type { EvictionListener, L1Bounds, L1Entry, L1Store } from './store';

/**
 * An L1 on node-cache, the store the design card names. node-cache cannot evict: at `maxKeys`
 * it refuses new keys. This adapter keeps that behaviour visible: a set that would exceed the
 * bounds is refused and counted as a capacity eviction of the new value. Prefer `LruStore`.
 */
export class NodeCacheStore<V = unknown> implements L1Store<V> {
  private readonly cache: NodeCache;
  private byteCount = 0;

  constructor(
    private readonly bounds: L1Bounds,
    private readonly onEvict: EvictionListener = () => undefined,
  ) {
    this.cache = new NodeCache({ useClones: false, checkperiod: 0, maxKeys: bounds.maxEntries });
    this.cache.on('expired', (_key: string, entry: L1Entry<V>) => {
      this.byteCount -= entry.size;
      this.onEvict('expired', 1);
    });
  }

  get entries(): number {
    return this.cache.getStats().keys;
  }

  get bytes(): number {
    return this.byteCount;
  }

  get(key: string, now = Date.now()): L1Entry<V> | undefined {
    const entry = this.cache.get<L1Entry<V>>(key);
    if (entry === undefined || entry.expiresAt > now) return entry;
    this.delete(key); // node-cache's own expiry has second-level checks; ours is exact
    this.onEvict('expired', 1);
    return undefined;
  }

  peek(key: string): L1Entry<V> | undefined {
    const entry = this.cache.get<L1Entry<V>>(key);
    return entry !== undefined && entry.expiresAt > Date.now() ? entry : undefined;
  }

  set(key: string, entry: L1Entry<V>): boolean {
    this.delete(key);
    const ttlSeconds = Math.max((entry.expiresAt - Date.now()) / 1000, 0.001);
    // Checked first: node-cache's own refusal at maxKeys throws, which costs ~15 µs a set.
    const full = this.cache.getStats().keys >= this.bounds.maxEntries;
    if (full || this.byteCount + entry.size > this.bounds.maxBytes || !this.trySet(key, entry, ttlSeconds)) {
      this.onEvict('capacity', 1);
      return false;
    }
    this.byteCount += entry.size;
    return true;
  }

  delete(key: string): boolean {
    const entry = this.cache.get<L1Entry<V>>(key);
    if (entry === undefined) return false;
    this.cache.del(key);
    this.byteCount -= entry.size;
    return true;
  }

  keys(): IterableIterator<string> {
    return this.cache.keys()[Symbol.iterator]();
  }

  clear(): void {
    this.cache.flushAll();
    this.byteCount = 0;
  }

  private trySet(key: string, entry: L1Entry<V>, ttlSeconds: number): boolean {
    try {
      return this.cache.set(key, entry, ttlSeconds);
    } catch {
      return false; // ECACHEFULL: node-cache's maxKeys reached
    }
  }
}
