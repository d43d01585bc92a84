import type { EvictionListener, L1Bounds, L1Entry, L1Store } from './store';

/**
 * The default L1: a Map kept in recency order (a hit moves its key to the end), bounded by
 * entry count and by bytes. Eviction takes the least recently used key from the front.
 */
export class LruStore<V = unknown> implements L1Store<V> {
  private readonly map = new Map<string, L1Entry<V>>();
  private byteCount = 0;

  constructor(
    private readonly bounds: L1Bounds,
    private readonly onEvict: EvictionListener = () => undefined,
  ) {}

  get entries(): number {
    return this.map.size;
  }

  get bytes(): number {
    return this.byteCount;
  }

  get(key: string): L1Entry<V> | undefined {
    const entry = this.map.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.remove(key, entry);
      this.onEvict('expired', 1);
      return undefined;
    }
    this.map.delete(key);
    this.map.set(key, entry);
    return entry;
  }

  peek(key: string): L1Entry<V> | undefined {
    const entry = this.map.get(key);
    return entry !== undefined && entry.expiresAt > Date.now() ? entry : undefined;
  }

  set(key: string, entry: L1Entry<V>): boolean {
    const previous = this.map.get(key);
    if (previous !== undefined) this.remove(key, previous);
    if (entry.size > this.bounds.maxBytes) return false;
    this.map.set(key, entry);
    this.byteCount += entry.size;
    let evicted = 0;
    while (this.map.size > this.bounds.maxEntries || this.byteCount > this.bounds.maxBytes) {
      const [oldestKey, oldest] = this.map.entries().next().value as [string, L1Entry<V>];
      this.remove(oldestKey, oldest);
      evicted++;
    }
    if (evicted > 0) this.onEvict('capacity', evicted);
    return true;
  }

  delete(key: string): boolean {
    const entry = this.map.get(key);
    if (entry === undefined) return false;
    this.remove(key, entry);
    return true;
  }

  keys(): IterableIterator<string> {
    return this.map.keys();
  }

  clear(): void {
    this.map.clear();
    this.byteCount = 0;
  }

  private remove(key: string, entry: L1Entry<V>): void {
    this.map.delete(key);
    this.byteCount -= entry.size;
  }
}
