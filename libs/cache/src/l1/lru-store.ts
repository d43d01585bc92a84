import type { EvictionListener, L1Bounds, L1Entry, L1Store } from './store';

interface Node<V> {
  key: string;
  entry: L1Entry<V>;
  /** Towards the least recently used end. */
  older: Node<V> | undefined;
  /** Towards the most recently used end. */
  newer: Node<V> | undefined;
}

/**
 * The default L1: a Map for lookup plus a doubly linked list in recency order, bounded by entry
 * count and by bytes. A hit relinks one node; eviction unlinks the oldest; both O(1). (Reordering
 * the Map itself by delete and re-insert, the short version, makes eviction walk past the holes
 * earlier deletes leave at the front of a V8 Map: 16× slower at 10,000 entries, measured.)
 */
export class LruStore<V = unknown> implements L1Store<V> {
  private readonly nodes = new Map<string, Node<V>>();
  private oldest: Node<V> | undefined;
  private newest: Node<V> | undefined;
  private byteCount = 0;

  constructor(
    private readonly bounds: L1Bounds,
    private readonly onEvict: EvictionListener = () => undefined,
  ) {}

  get entries(): number {
    return this.nodes.size;
  }

  get bytes(): number {
    return this.byteCount;
  }

  get(key: string, now = Date.now()): L1Entry<V> | undefined {
    const node = this.nodes.get(key);
    if (node === undefined) return undefined;
    if (node.entry.expiresAt <= now) {
      this.remove(node);
      this.onEvict('expired', 1);
      return undefined;
    }
    if (node !== this.newest) {
      this.unlink(node);
      this.append(node);
    }
    return node.entry;
  }

  peek(key: string): L1Entry<V> | undefined {
    const node = this.nodes.get(key);
    return node !== undefined && node.entry.expiresAt > Date.now() ? node.entry : undefined;
  }

  set(key: string, entry: L1Entry<V>): boolean {
    const previous = this.nodes.get(key);
    if (previous !== undefined) this.remove(previous);
    if (entry.size > this.bounds.maxBytes) return false;
    const node: Node<V> = { key, entry, older: undefined, newer: undefined };
    this.nodes.set(key, node);
    this.append(node);
    this.byteCount += entry.size;
    let evicted = 0;
    while (this.nodes.size > this.bounds.maxEntries || this.byteCount > this.bounds.maxBytes) {
      this.remove(this.oldest!);
      evicted++;
    }
    if (evicted > 0) this.onEvict('capacity', evicted);
    return true;
  }

  delete(key: string): boolean {
    const node = this.nodes.get(key);
    if (node === undefined) return false;
    this.remove(node);
    return true;
  }

  keys(): IterableIterator<string> {
    return this.nodes.keys();
  }

  clear(): void {
    this.nodes.clear();
    this.oldest = this.newest = undefined;
    this.byteCount = 0;
  }

  private remove(node: Node<V>): void {
    this.nodes.delete(node.key);
    this.unlink(node);
    this.byteCount -= node.entry.size;
  }

  private append(node: Node<V>): void {
    node.older = this.newest;
    node.newer = undefined;
    if (this.newest) this.newest.newer = node;
    else this.oldest = node;
    this.newest = node;
  }

  private unlink(node: Node<V>): void {
    if (node.older) node.older.newer = node.newer;
    else this.oldest = node.newer;
    if (node.newer) node.newer.older = node.older;
    else this.newest = node.older;
  }
}
