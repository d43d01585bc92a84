/** Where an L1 entry came from; decides which fill counter a later hit moves. */
export type EntryOrigin = 'own' | 'subscription' | 'l2';

/** One cached value with what the coherence protocol needs to know about it. */
export interface L1Entry<V = unknown> {
  readonly value: V;
  /** The version clock reading at which the value was read from its source or written. */
  readonly version: number;
  readonly origin: EntryOrigin;
  /** The cache instance (bus origin) whose write or load this is; tells concurrent writers apart. */
  readonly writer: string;
  /** Epoch milliseconds after which the store drops the entry (its TTL plus the fail-safe grace). */
  readonly expiresAt: number;
  /** Epoch milliseconds until which the entry is fresh; after it, it is only a fail-safe fallback. */
  readonly freshUntil: number;
  /** Epoch milliseconds after which a hit reloads it in the background (eager refresh). */
  readonly refreshAt: number;
  /** Bytes of the value's JSON form; what the byte bound counts. */
  readonly size: number;
}

export type EvictionReason = 'capacity' | 'expired';

/** Bounds every L1 store honours. */
export interface L1Bounds {
  /** @default 10_000 */
  maxEntries: number;
  /** @default 67_108_864 (64 MiB) */
  maxBytes: number;
}

/**
 * The in-process tier behind a small interface, so the bounded LRU default and adapters
 * for other stores (node-cache) are interchangeable and benchmarked side by side.
 */
export interface L1Store<V = unknown> {
  /** The live entry, marking it recently used; expired entries are removed and not returned. */
  get(key: string, now?: number): L1Entry<V> | undefined;
  /** The live entry without touching recency. */
  peek(key: string): L1Entry<V> | undefined;
  /** Stores the entry, evicting least recently used ones to stay within bounds; false if it cannot fit. */
  set(key: string, entry: L1Entry<V>): boolean;
  delete(key: string): boolean;
  keys(): IterableIterator<string>;
  clear(): void;
  readonly entries: number;
  readonly bytes: number;
}

export type EvictionListener = (reason: EvictionReason, count: number) => void;
