import { hostname } from 'node:os';
import type { RedisOptions } from 'ioredis';
import type { Registry } from 'prom-client';
import type { BusTransport } from './bus/transport';
import { CacheConfigError } from './errors';
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
  /**
   * The most two replicas' clocks may disagree. Versions from different replicas closer than this
   * are treated as concurrent: a peer's fill that close to a delete loses, and two different
   * values that close evict the key rather than guess which is newer. @default 10
   */
  clockSkewMs?: number;
  /**
   * One source load per key across replicas: a replica that misses asks Redis for the key's load
   * lease; the winner loads, the others wait for its fill on the bus (up to `waitMs`, then load
   * themselves). Costs one Redis round trip per miss.
   */
  loadLease?: {
    /** @default true */
    enabled?: boolean;
    /** How long a lease holds if its holder never finishes. @default 10_000 */
    leaseMs?: number;
    /** How long a replica that lost the lease waits for the fill. @default 2_000 */
    waitMs?: number;
  };
  /** Redis as a shared second tier. @default { enabled: false } */
  l2?: { enabled: boolean };
  /** Where the metrics go. @default prom-client's global registry */
  registry?: Registry;
  /** @default silent */
  logger?: Logger;
}

export type ResolvedOptions = Required<
  Omit<CacheOptions, 'registry' | 'logger' | 'l1' | 'bus' | 'l2' | 'loadLease'>
> & {
  l1: L1Bounds & { store: NonNullable<NonNullable<CacheOptions['l1']>['store']> };
  bus: { maxValueBytes: number; heartbeatMs: number; wrapTransport?: (t: BusTransport) => BusTransport };
  l2: { enabled: boolean };
  loadLease: { enabled: boolean; leaseMs: number; waitMs: number };
  registry?: Registry;
  logger?: Logger;
};

/** Fills in defaults and rejects values that cannot work, naming the option to change. */
export function resolveOptions(options: CacheOptions): ResolvedOptions {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(options.name ?? '')) {
    throw new CacheConfigError(
      `option "name" must be 1-64 letters, digits, "_", "." or "-"; got ${JSON.stringify(options.name)}`,
    );
  }
  if (options.redis === undefined)
    throw new CacheConfigError('option "redis" is required: a redis:// URL or ioredis options');
  const resolved: ResolvedOptions = {
    name: options.name,
    redis: options.redis,
    replicaId: options.replicaId ?? `${hostname()}-${process.pid}`,
    l1: {
      maxEntries: options.l1?.maxEntries ?? 10_000,
      maxBytes: options.l1?.maxBytes ?? 64 * 1024 * 1024,
      store: options.l1?.store ?? 'lru',
    },
    ttlMs: options.ttlMs ?? 300_000,
    ttlJitter: options.ttlJitter ?? 0.1,
    bus: {
      maxValueBytes: options.bus?.maxValueBytes ?? 65_536,
      heartbeatMs: options.bus?.heartbeatMs ?? 1000,
      ...(options.bus?.wrapTransport ? { wrapTransport: options.bus.wrapTransport } : {}),
    },
    tombstoneTtlMs: options.tombstoneTtlMs ?? 30_000,
    clockSkewMs: options.clockSkewMs ?? 10,
    l2: { enabled: options.l2?.enabled ?? false },
    loadLease: {
      enabled: options.loadLease?.enabled ?? true,
      leaseMs: options.loadLease?.leaseMs ?? 10_000,
      waitMs: options.loadLease?.waitMs ?? 2_000,
    },
    ...(options.registry ? { registry: options.registry } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  };
  positive('l1.maxEntries', resolved.l1.maxEntries);
  positive('l1.maxBytes', resolved.l1.maxBytes);
  positive('ttlMs', resolved.ttlMs);
  positive('bus.maxValueBytes', resolved.bus.maxValueBytes);
  positive('bus.heartbeatMs', resolved.bus.heartbeatMs);
  positive('tombstoneTtlMs', resolved.tombstoneTtlMs);
  positive('loadLease.leaseMs', resolved.loadLease.leaseMs);
  positive('loadLease.waitMs', resolved.loadLease.waitMs);
  if (!(Number.isFinite(resolved.clockSkewMs) && resolved.clockSkewMs >= 0)) {
    throw new CacheConfigError(`option "clockSkewMs" must be a number >= 0; got ${resolved.clockSkewMs}`);
  }
  if (!(resolved.ttlJitter >= 0 && resolved.ttlJitter < 1)) {
    throw new CacheConfigError(`option "ttlJitter" must be in [0, 1); got ${resolved.ttlJitter}`);
  }
  return resolved;
}

export function assertTtl(ttlMs: number): void {
  positive('ttlMs', ttlMs);
}

function positive(option: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new CacheConfigError(`option "${option}" must be a positive number; got ${value}`);
  }
}
