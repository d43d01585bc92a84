import { hostname } from 'node:os';
import type { Registry } from 'prom-client';
import type { BusTransport } from './bus/transport';
import { CacheConfigError } from './errors';
import type { L1Bounds, L1Store, EvictionListener } from './l1/store';
import type { Logger } from './logger';
import type { RedisConfig } from './redis/connections';

export interface CacheOptions {
  /** Names the cache in metrics (`cache` label) and its Redis channel and keys; letters, digits, `_.-`. */
  name: string;
  /**
   * Where Redis is; the cache opens its own connections from it. One server: a `redis://` URL or
   * ioredis options. Sentinel: ioredis options with `sentinels` and `name`. Redis Cluster:
   * `{ cluster: [{ host, port }, ...], options?: ClusterOptions }`. See the README's topologies.
   */
  redis: RedisConfig;
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
    /**
     * The staleness bound: a replica whose own messages take longer than this to come back through
     * its subscription is behind its peers, and reads the source instead of L1 until it catches up.
     * @default 3 × heartbeatMs
     */
    maxLagMs?: number;
    /**
     * What L1 does while the bus subscription is down and peers' invalidations cannot arrive.
     * `bypass`: reads go to the source (L1 stays as a fail-safe fallback), so nothing stale is
     * served. `serve`: keep answering from L1 — right only when the source cannot change while
     * Redis is unreachable (when it lives in the same Redis, as the Clustache API's does).
     * Either way, on resubscription L1 is repaired from the replay log, or dropped. @default 'bypass'
     */
    whileDisconnected?: 'bypass' | 'serve';
    /**
     * The replay log: every message that changes L1 is also appended to a capped Redis Stream,
     * so a replica that may have missed messages (a sequence gap, a resubscription after a
     * dropped connection) applies exactly what it missed instead of dropping its L1. It drops
     * its L1 only when the log cannot cover the gap (trimmed past it, lost in a restart or
     * failover, or missing a publish that failed). Off: every possible loss drops L1.
     */
    replayLog?: {
      /** @default true */
      enabled?: boolean;
      /** Entries kept at most. @default 10_000 */
      maxLength?: number;
      /** Entries older than this are trimmed. @default 600_000 (10 minutes) */
      maxAgeMs?: number;
      /**
       * Put values whose JSON is at most this long ride the log, so a repair keeps them warm;
       * larger ones are logged without their value, and a repair drops that key instead. 0
       * logs no values. @default 1024
       */
      maxValueBytes?: number;
      /**
       * Warm start: a replica that starts, or had to drop its L1, fills it from the newest this
       * many log entries (values of puts that rode the log, checked like live fills), read at
       * most `warmPerSecond` entries a second. 0 turns it off. @default 0
       */
      warmEntries?: number;
      /** @default 5_000 */
      warmPerSecond?: number;
    };
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
  /**
   * Fail-safe: an entry past its TTL is kept `graceMs` longer, not as a hit but as a fallback,
   * served (counted, and marked `stale` in `lookup`) when the loader fails or times out. Entries
   * that were invalidated are never kept. @default { graceMs: 0 } (off)
   */
  failSafe?: { graceMs?: number };
  /**
   * Loader timeouts. `softMs`: with a fail-safe value at hand, answer with it after this long and
   * let the load finish in the background. `hardMs`: never wait longer; fail with
   * `LoaderTimeoutError` (or answer the fail-safe value). @default none
   */
  timeouts?: { softMs?: number; hardMs?: number };
  /**
   * Eager refresh: a hit on an entry older than this fraction of its TTL reloads it in the
   * background, so popular keys never wait on the source. 0 turns it off. @default 0
   */
  eagerRefresh?: number;
  /** Redis as a shared second tier. @default { enabled: false } */
  l2?: { enabled: boolean };
  /** Where the metrics go. @default prom-client's global registry */
  registry?: Registry;
  /** @default silent */
  logger?: Logger;
}

export type ResolvedOptions = Required<
  Omit<CacheOptions, 'registry' | 'logger' | 'l1' | 'bus' | 'l2' | 'loadLease' | 'failSafe' | 'timeouts'>
> & {
  l1: L1Bounds & { store: NonNullable<NonNullable<CacheOptions['l1']>['store']> };
  bus: {
    maxValueBytes: number;
    heartbeatMs: number;
    maxLagMs: number;
    whileDisconnected: 'bypass' | 'serve';
    replayLog: {
      enabled: boolean;
      maxLength: number;
      maxAgeMs: number;
      maxValueBytes: number;
      warmEntries: number;
      warmPerSecond: number;
    };
    wrapTransport?: (t: BusTransport) => BusTransport;
  };
  l2: { enabled: boolean };
  loadLease: { enabled: boolean; leaseMs: number; waitMs: number };
  failSafe: { graceMs: number };
  timeouts: { softMs?: number; hardMs?: number };
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
    throw new CacheConfigError(
      'option "redis" is required: a redis:// URL, ioredis options (with `sentinels` for Sentinel) or { cluster: [...] }',
    );
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
      maxLagMs: options.bus?.maxLagMs ?? 3 * (options.bus?.heartbeatMs ?? 1000),
      whileDisconnected: options.bus?.whileDisconnected ?? 'bypass',
      replayLog: {
        enabled: options.bus?.replayLog?.enabled ?? true,
        maxLength: options.bus?.replayLog?.maxLength ?? 10_000,
        maxAgeMs: options.bus?.replayLog?.maxAgeMs ?? 600_000,
        maxValueBytes: options.bus?.replayLog?.maxValueBytes ?? 1024,
        warmEntries: options.bus?.replayLog?.warmEntries ?? 0,
        warmPerSecond: options.bus?.replayLog?.warmPerSecond ?? 5_000,
      },
      ...(options.bus?.wrapTransport ? { wrapTransport: options.bus.wrapTransport } : {}),
    },
    tombstoneTtlMs: options.tombstoneTtlMs ?? 30_000,
    clockSkewMs: options.clockSkewMs ?? 10,
    l2: { enabled: options.l2?.enabled ?? false },
    failSafe: { graceMs: options.failSafe?.graceMs ?? 0 },
    timeouts: { ...options.timeouts },
    eagerRefresh: options.eagerRefresh ?? 0,
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
  positive('bus.maxLagMs', resolved.bus.maxLagMs);
  positive('bus.replayLog.maxLength', resolved.bus.replayLog.maxLength);
  positive('bus.replayLog.maxAgeMs', resolved.bus.replayLog.maxAgeMs);
  positive('bus.replayLog.warmPerSecond', resolved.bus.replayLog.warmPerSecond);
  if (!(Number.isInteger(resolved.bus.replayLog.warmEntries) && resolved.bus.replayLog.warmEntries >= 0))
    throw new CacheConfigError(
      `option "bus.replayLog.warmEntries" must be an integer >= 0; got ${resolved.bus.replayLog.warmEntries}`,
    );
  if (!(resolved.bus.replayLog.maxValueBytes >= 0))
    throw new CacheConfigError(
      `option "bus.replayLog.maxValueBytes" must be a number >= 0; got ${resolved.bus.replayLog.maxValueBytes}`,
    );
  positive('tombstoneTtlMs', resolved.tombstoneTtlMs);
  positive('loadLease.leaseMs', resolved.loadLease.leaseMs);
  positive('loadLease.waitMs', resolved.loadLease.waitMs);
  if (!(Number.isFinite(resolved.clockSkewMs) && resolved.clockSkewMs >= 0)) {
    throw new CacheConfigError(`option "clockSkewMs" must be a number >= 0; got ${resolved.clockSkewMs}`);
  }
  if (!(resolved.failSafe.graceMs >= 0)) {
    throw new CacheConfigError(
      `option "failSafe.graceMs" must be a number >= 0; got ${resolved.failSafe.graceMs}`,
    );
  }
  if (resolved.timeouts.softMs !== undefined) positive('timeouts.softMs', resolved.timeouts.softMs);
  if (resolved.timeouts.hardMs !== undefined) positive('timeouts.hardMs', resolved.timeouts.hardMs);
  if (!(resolved.eagerRefresh >= 0 && resolved.eagerRefresh < 1)) {
    throw new CacheConfigError(`option "eagerRefresh" must be in [0, 1); got ${resolved.eagerRefresh}`);
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
