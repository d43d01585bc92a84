export { createCache, CoherentCache, type EntryOptions } from './cache';
export type { CacheEvents } from './coherence-listener';
export type { BatchLoader, FilledFrom, Loader, Lookup } from './lookup';
export type { WriteResult } from './write-path';
export type { CacheOptions } from './options';
export type { RedisClusterConfig, RedisConfig, Topology } from './redis/connections';
export { CacheStats, type DropReason, type ResyncReason } from './stats';
export {
  CacheClosedError,
  CacheConfigError,
  CacheError,
  LoaderTimeoutError,
  RedisUnavailableError,
  ValueNotSerializableError,
} from './errors';
export { LruStore } from './l1/lru-store';
export { NodeCacheStore } from './l1/node-cache-store';
export type { EntryOrigin, EvictionListener, EvictionReason, L1Bounds, L1Entry, L1Store } from './l1/store';
export type { BusTransport, TransportHandlers } from './bus/transport';
export type { BusMessage } from './bus/message';
export { compileGlob, isGlob } from './glob';
export { silentLogger, type Logger } from './logger';
