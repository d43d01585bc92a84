import { EventEmitter } from 'node:events';
import { BackgroundWrites } from './background-writes';
import { CacheBus } from './bus/bus';
import { openReplayLog, openTransport } from './bus/redis-channel';
import { VersionClock } from './clock';
import { CoherenceListener, type CacheEvents } from './coherence-listener';
import { CacheClosedError, CacheConfigError, RedisUnavailableError } from './errors';
import { LeaseWait } from './lease-wait';
import { LoadLeases } from './load-leases';
import { LoadTimeouts } from './load-timeouts';
import { LowerTiers } from './lower-tiers';
import { MissPath } from './miss-path';
import { silentLogger, type Logger } from './logger';
import type { BatchLoader, Loader, Lookup } from './lookup';
import { LruStore } from './l1/lru-store';
import { NodeCacheStore } from './l1/node-cache-store';
import type { L1Entry, L1Store } from './l1/store';
import { RedisL2 } from './l2';
import { attachMetrics, type CacheMetrics } from './metrics';
import { assertTtl, resolveOptions, type CacheOptions, type ResolvedOptions } from './options';
import { ClockSync } from './redis/clock-sync';
import { openConnections } from './redis/connections';
import { RedisGateway } from './redis/gateway';
import { CacheStats } from './stats';
import { ReplicaMemory } from './replica-memory';
import { WritePath, type WriteResult } from './write-path';

export interface EntryOptions {
  /** This entry's TTL. @default the cache's `ttlMs` */
  ttlMs?: number;
}

/**
 * An in-process cache whose replicas stay coherent through Redis pub/sub.
 *
 * Reads are served from this process's memory (L1). A value loaded from the source, or
 * written with `set`, is published so every peer stores it without touching the source; deletes,
 * pattern deletes and clears reach every peer the same way. Every value and invalidation
 * carries a version from a hybrid logical clock, and invalidations leave short-lived
 * tombstones, so a fill that arrives after a newer delete loses. When the bus may have lost
 * messages (resubscription, sequence gap) the replica stops answering from L1, applies what it
 * missed from the bus's replay log, and answers again; it drops its L1 only when the log cannot
 * prove that nothing else was missed. Redis failures degrade to L1 and the source; they never
 * fail a read.
 */
export class CoherentCache<V = unknown> extends EventEmitter<CacheEvents> {
  readonly name: string;
  readonly replicaId: string;
  /** Cumulative counters of every path through the cache; the Prometheus metrics read these. */
  readonly stats = new CacheStats();

  private readonly options: ResolvedOptions;
  private readonly logger: Logger;
  private readonly clock = new VersionClock();
  private readonly memory: ReplicaMemory<V>;
  private readonly gateway: RedisGateway;
  private readonly bus: CacheBus;
  /** Every change made here, kept in L1 and sent to peers and L2. */
  private readonly writes: WritePath<V>;
  /** From an L1 miss to an answer: leases, L2, the source, timeouts. */
  private readonly miss: MissPath<V>;
  private readonly metrics: CacheMetrics;
  private readonly background: BackgroundWrites;
  private readonly sweeper: NodeJS.Timeout;
  private readonly clockSync: ClockSync;
  private closed = false;

  constructor(options: CacheOptions) {
    super();
    this.options = resolveOptions(options);
    this.name = this.options.name;
    this.replicaId = this.options.replicaId;
    this.logger = this.options.logger ?? silentLogger;
    this.background = new BackgroundWrites(this.logger);
    this.memory = new ReplicaMemory(this.createStore(), this.clock, this.stats, {
      tombstoneTtlMs: this.options.tombstoneTtlMs,
      skewTicks: VersionClock.ticks(this.options.clockSkewMs),
      ttlJitter: this.options.ttlJitter,
      graceMs: this.options.failSafe.graceMs,
      eagerRefresh: this.options.eagerRefresh,
    });
    const redis = openConnections(this.options.redis, this.name, this.logger);
    const prefix = redis.keyPrefix;
    this.gateway = new RedisGateway(redis.commands, this.logger, (operation) => {
      this.stats.redisErrors[operation] = (this.stats.redisErrors[operation] ?? 0) + 1;
    });
    this.clockSync = new ClockSync(this.gateway, this.logger);
    const { replayLog } = this.options.bus;
    const log = replayLog.enabled ? openReplayLog(redis, this.gateway, replayLog) : undefined;
    const transport = openTransport(redis, this.gateway, this.logger, log);
    // This instance on the bus; also the `writer` of every entry it loads or writes.
    const origin = `${this.replicaId}:${Math.random().toString(36).slice(2, 10)}`;
    const listener = new CoherenceListener(this.memory, this.stats, this, () => this.bus, this.options.bus);
    this.bus = new CacheBus(
      this.options.bus.wrapTransport?.(transport) ?? transport,
      {
        origin,
        heartbeatMs: this.options.bus.heartbeatMs,
        silenceMs: this.options.bus.maxLagMs,
        skewMs: this.options.clockSkewMs,
        ...(log ? { log } : {}),
        logValueBytes: replayLog.maxValueBytes,
        warm: { entries: replayLog.warmEntries, perSecond: replayLog.warmPerSecond },
      },
      listener,
      this.stats,
      this.logger,
    );
    const l2 = this.options.l2.enabled
      ? new RedisL2(this.gateway, `${prefix}l2:`, this.options.tombstoneTtlMs)
      : undefined;
    this.writes = new WritePath(this.memory, this.clock, this.bus, l2, this.stats, {
      origin,
      maxValueBytes: this.options.bus.maxValueBytes,
    });
    const { loadLease, timeouts } = this.options;
    this.miss = new MissPath(
      this.memory,
      new LowerTiers(this.memory, this.clock, l2, this.writes, this.background, this.stats, (seconds) =>
        this.metrics.observeLoad(seconds),
      ),
      loadLease.enabled
        ? new LeaseWait(
            new LoadLeases(this.gateway, `${prefix}lease:`, origin, loadLease.leaseMs),
            this.memory,
            this.bus,
            this.stats,
            this.background,
            { waitMs: loadLease.waitMs, hardMs: timeouts.hardMs },
          )
        : undefined,
      new LoadTimeouts(timeouts, this.memory.loads, this.stats, this.logger),
      this.stats,
      this.logger,
      this.options.failSafe.graceMs,
    );
    listener.connection(false); // until first subscribed
    this.metrics = attachMetrics(this, this.options.registry);
    this.sweeper = setInterval(() => this.memory.sweep(), 1000);
    this.sweeper.unref();
    this.bus.start();
  }

  /** True while Redis answers commands and the bus subscription is in place (and not being repaired). */
  get isReady(): boolean {
    return !this.closed && this.bus.isConnected && !this.bus.isRepairing && this.gateway.isReady;
  }

  get l1Entries(): number {
    return this.memory.entries;
  }

  get l1Bytes(): number {
    return this.memory.bytes;
  }

  get busConnected(): boolean {
    return this.bus.isConnected;
  }

  /** Resolves once the cache is ready; rejects with `RedisUnavailableError` after `timeoutMs`. */
  async ready(timeoutMs = 10_000): Promise<void> {
    if (this.isReady) return;
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!this.isReady) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new RedisUnavailableError('connect', new Error(`not ready after ${timeoutMs} ms`)));
      }, timeoutMs);
      // Ready can come with any of these: the subscription, the end of a repair or warm start, or Redis.
      this.on('subscribed', check);
      this.on('repair', check);
      this.on('warmed', check);
      const stopWatchingRedis = this.gateway.onReady(check);
      const cleanup = () => {
        clearTimeout(timer);
        this.off('subscribed', check);
        this.off('repair', check);
        this.off('warmed', check);
        stopWatchingRedis();
      };
    });
  }

  /** The value from L1, else from the loader (once per key per process, however many callers wait). */
  getOrLoad(key: string, loader: Loader<V>, options?: EntryOptions): Promise<V | undefined> {
    const entry = this.closed ? undefined : this.hit(key, loader, options);
    if (entry === undefined) return this.lookup(key, loader, options).then((result) => result.value);
    return Promise.resolve(entry.value);
  }

  /** `getOrLoad`, also telling where the value came from (for `X-Cache-Status`-style headers). */
  lookup(key: string, loader: Loader<V>, options?: EntryOptions): Promise<Lookup<V>> {
    if (this.closed) return Promise.reject(this.closedError());
    const entry = this.hit(key, loader, options);
    if (entry !== undefined) return Promise.resolve({ value: entry.value, from: entry.origin });
    return this.miss.load(key, loader, this.ttlOf(options));
  }

  /** An L1 hit; one due for eager refresh also starts its background reload. */
  private hit(key: string, loader: Loader<V>, options: EntryOptions | undefined): L1Entry<V> | undefined {
    const entry = this.memory.hit(key);
    if (entry !== undefined && entry.refreshAt !== Infinity && entry.refreshAt <= Date.now()) {
      this.miss.refresh(key, loader, () => this.ttlOf(options));
    }
    return entry;
  }

  /** The value from L1 or L2, without loading. */
  async get(key: string): Promise<V | undefined> {
    if (this.closed) throw this.closedError();
    const entry = this.memory.hit(key);
    if (entry !== undefined) return entry.value;
    const found = await this.miss.read([key], undefined, this.options.ttlMs);
    const value = found.get(key)?.value;
    if (value === undefined) this.stats.misses++;
    return value;
  }

  /** Many keys: L1 first, then one L2 MGET, then one batch load; the loaded values go out in one pipeline. */
  async lookupMany(
    keys: readonly string[],
    loader?: BatchLoader<V>,
    options?: EntryOptions,
  ): Promise<Map<string, Lookup<V>>> {
    if (this.closed) throw this.closedError();
    const ttlMs = this.ttlOf(options);
    const results = new Map<string, Lookup<V>>();
    let missing: string[] = [];
    for (const key of new Set(keys)) {
      const entry = this.memory.hit(key);
      if (entry === undefined) missing.push(key);
      else results.set(key, { value: entry.value, from: entry.origin });
    }
    if (missing.length > 0) {
      const found = await this.miss.read(missing, loader, ttlMs);
      for (const [key, result] of found) results.set(key, result);
      missing = missing.filter((key) => !results.has(key));
    }
    this.stats.misses += missing.length;
    for (const key of missing) results.set(key, { value: undefined, from: undefined });
    return results;
  }

  /** `lookupMany` reduced to the values found. */
  async getMany(
    keys: readonly string[],
    loader?: BatchLoader<V>,
    options?: EntryOptions,
  ): Promise<Map<string, V>> {
    const values = new Map<string, V>();
    for (const [key, { value }] of await this.lookupMany(keys, loader, options)) {
      if (value !== undefined) values.set(key, value);
    }
    return values;
  }

  /** Writes a value here, to L2, and to every peer. */
  async set(key: string, value: V, options?: EntryOptions): Promise<WriteResult> {
    return this.setMany([[key, value]], options);
  }

  /** Writes many values; peers receive them in one pipelined round trip. */
  async setMany(entries: Iterable<readonly [string, V]>, options?: EntryOptions): Promise<WriteResult> {
    if (this.closed) throw this.closedError();
    return this.writes.put([...entries], this.clock.next(), this.ttlOf(options));
  }

  /** Removes a key here, in L2, and on every peer; a fill older than this delete is refused everywhere. */
  async delete(key: string): Promise<WriteResult> {
    if (this.closed) throw this.closedError();
    return this.writes.delete(key);
  }

  /** Removes every key matching a Redis-style glob, here, in L2 and on every peer. */
  async deleteByPattern(pattern: string): Promise<WriteResult & { removed: number }> {
    if (this.closed) throw this.closedError();
    if (typeof pattern !== 'string' || pattern === '')
      throw new CacheConfigError('pattern must be a non-empty glob string');
    return this.writes.deletePattern(pattern);
  }

  /** Empties this cache here, in L2 and on every peer. */
  async clear(): Promise<WriteResult> {
    if (this.closed) throw this.closedError();
    return this.writes.clear();
  }

  /** Stops the bus, waits for publishes in flight, and closes the Redis connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweeper);
    this.clockSync.stop();
    await this.background.settled();
    await this.bus.close();
    await this.gateway.close();
    this.metrics.detach();
    this.memory.clear();
  }

  private ttlOf(options: EntryOptions | undefined): number {
    if (options?.ttlMs === undefined) return this.options.ttlMs;
    assertTtl(options.ttlMs);
    return options.ttlMs;
  }

  private createStore(): L1Store<V> {
    const { store, maxEntries, maxBytes } = this.options.l1;
    const onEvict = (reason: 'capacity' | 'expired', count: number) =>
      (this.stats.evictions[reason] += count);
    if (store === 'lru') return new LruStore<V>({ maxEntries, maxBytes }, onEvict);
    if (store === 'node-cache') return new NodeCacheStore<V>({ maxEntries, maxBytes }, onEvict);
    return store({ maxEntries, maxBytes }, onEvict) as L1Store<V>;
  }

  private closedError(): CacheClosedError {
    return new CacheClosedError(`cache "${this.name}" is closed`);
  }
}

/** Creates a cache and starts connecting; `await cache.ready()` to wait for the bus. */
export function createCache<V = unknown>(options: CacheOptions): CoherentCache<V> {
  return new CoherentCache<V>(options);
}
