import type { EntryOrigin } from './l1/store';

/* What a lookup answers, and the loaders it calls on a miss: shared by the cache and its miss path. */

/** Where a lookup's value came from; `stale` is a fail-safe value served because the loader failed or was slow. */
export type FilledFrom = EntryOrigin | 'source' | 'stale';

export interface Lookup<V> {
  /** Undefined when neither the cache nor the loader had a value. */
  value: V | undefined;
  /** `own` and `subscription` are L1 hits; `l2`, `source` and `stale` are misses. */
  from: FilledFrom | undefined;
}

export type Loader<V> = (key: string) => Promise<V | undefined> | V | undefined;
/** Loads many keys at once; keys missing from the returned map have no value. */
export type BatchLoader<V> = (keys: string[]) => Promise<Map<string, V>>;
