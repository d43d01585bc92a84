import type { Decoded } from './bus/message';
import type { VersionClock } from './clock';
import { compileGlob } from './glob';
import { InFlightReads } from './in-flight';
import { LoadGroup } from './load-group';
import type { L1Entry, L1Store } from './l1/store';
import { FillWaiters } from './fill-waiters';
import type { CacheStats } from './stats';
import { Tombstones } from './tombstones';

/** An entry before its expiry is set. */
export type NewEntry<V> = Omit<L1Entry<V>, 'expiresAt' | 'freshUntil' | 'refreshAt'>;

/**
 * This replica's L1 and everything it must remember to keep it coherent with its peers:
 * tombstones of recent invalidations, the reads in flight that an invalidation must reach, the
 * callers waiting for a peer's fill, and since when peers' values can be trusted. Every rule
 * about which value may be kept lives here; the cache around it decides what to read and send.
 */
export class ReplicaMemory<V> {
  readonly reads = new InFlightReads();
  /** One load per key per process; an invalidation detaches the loads it may have overtaken. */
  readonly loads = new LoadGroup();
  readonly fills = new FillWaiters();
  private readonly tombstones: Tombstones;
  /** Peers' values read before this version may have missed an invalidation (see `distrust`). */
  private trustedSince = 0;
  /**
   * L1 answers reads until this time (epoch ms): while connected, `maxLagMs` past the send time of
   * our last own message that came back; while disconnected, never (`bypass`) or always (`serve`).
   */
  private answerUntilTime = 0;

  constructor(
    private readonly l1: L1Store<V>,
    private readonly clock: VersionClock,
    private readonly stats: CacheStats,
    private readonly options: {
      tombstoneTtlMs: number;
      skewTicks: number;
      ttlJitter: number;
      /** How long past its TTL an entry is kept as a fail-safe fallback. */
      graceMs: number;
      /** Fraction of the TTL after which a hit should refresh the entry; 0 for never. */
      eagerRefresh: number;
    },
  ) {
    this.tombstones = new Tombstones(options.tombstoneTtlMs);
  }

  get entries(): number {
    return this.l1.entries;
  }

  get bytes(): number {
    return this.l1.bytes;
  }

  /** The fresh entry of `key`, counted as a hit of its origin. */
  hit(key: string): L1Entry<V> | undefined {
    const now = Date.now();
    if (now >= this.answerUntilTime) return undefined;
    const entry = this.l1.get(key, now);
    if (entry === undefined || entry.freshUntil <= now) return undefined;
    if (entry.origin === 'subscription') this.stats.subscriptionHits++;
    else this.stats.ownHits++;
    return entry;
  }

  /** The entry held for `key`, fresh or past its TTL within the fail-safe grace; not a hit. */
  peek(key: string): L1Entry<V> | undefined {
    return this.l1.peek(key);
  }

  /** The version of `key` held here, 0 when none. */
  versionOf(key: string): number {
    return this.l1.peek(key)?.version ?? 0;
  }

  /** True when a value this replica read or wrote at `version` has not been invalidated since. */
  accepts(key: string, version: number): boolean {
    return this.tombstones.accepts(key, version);
  }

  /**
   * Puts an entry in L1 unless the one there is newer. A value from another writer that did not
   * know the entry here (`knows`: the newest version of the key its writer had seen) and is closer
   * in version than the clock skew is concurrent with it: if the values differ, neither can be
   * trusted to be the newer, so the key is evicted and the next read goes to the source.
   */
  store(key: string, entry: NewEntry<V>, ttlMs: number, knows = Infinity): boolean {
    const current = this.l1.peek(key);
    if (current !== undefined) {
      const concurrent =
        current.writer !== entry.writer &&
        current.version > knows &&
        Math.abs(entry.version - current.version) < this.options.skewTicks;
      if (concurrent && JSON.stringify(current.value) !== JSON.stringify(entry.value)) {
        this.l1.delete(key);
        this.stats.conflicts++;
        return false;
      }
      if (current.version >= entry.version) {
        this.stats.storesRejected++;
        return false;
      }
    }
    const now = Date.now();
    const ttl = ttlMs * (1 - this.options.ttlJitter * Math.random());
    const { graceMs, eagerRefresh } = this.options;
    const refreshAt = eagerRefresh > 0 ? now + ttl * eagerRefresh : Infinity;
    // One object shape for every entry (no spread): hits on entries of one shape stay fast in V8.
    const stored = this.l1.set(key, {
      value: entry.value,
      version: entry.version,
      origin: entry.origin,
      writer: entry.writer,
      size: entry.size,
      freshUntil: now + ttl,
      expiresAt: now + ttl + graceMs,
      refreshAt,
    });
    if (!stored) this.stats.storesRejected++;
    return stored;
  }

  /**
   * Applies a peer's message; a peer's value is checked against everything this replica knows.
   * `vouched`: a warm start vouches that no invalidation this replica did not apply overtook it.
   */
  applyPeer({ envelope: { message, origin }, carried, value, size }: Decoded, vouched = false): void {
    if ('version' in message) this.clock.observe(message.version);
    switch (message.type) {
      case 'put':
        this.invalidateReads(message.key);
        if (!carried) this.forget(message.key, message.version - 1);
        else if (!this.trustsPeer(message.key, message.version, vouched)) {
          // Not trusted, but newer than what we hold: what we hold is outdated either way.
          this.stats.dropped.stale++;
          if (this.versionOf(message.key) < message.version) this.l1.delete(message.key);
        } else {
          const entry = {
            value: value as V,
            version: message.version,
            origin: 'subscription',
            writer: origin,
            size,
          } as const;
          this.store(message.key, entry, message.ttlMs, message.supersedes ?? 0);
        }
        this.fills.wake(message.key);
        break;
      case 'delete':
        this.forget(message.key, message.version);
        break;
      case 'deletePattern':
        this.forgetPattern(message.pattern, message.version);
        break;
      case 'clear':
        this.forgetAll(message.version);
        break;
      case 'abandon':
        this.fills.wake(message.key);
        break;
      case 'heartbeat':
        break;
    }
  }

  /**
   * `key` was deleted at `version`: drop it, refuse older values, reach reads and waiters in flight.
   * A value here newer than the delete stays: dropping it would forget that anything older than
   * it must lose, and a late, older fill (a replayed backlog, say) would then be let in.
   */
  forget(key: string, version: number): void {
    if (this.versionOf(key) <= version) this.l1.delete(key);
    this.tombstones.addKey(key, version);
    this.invalidateReads(key);
    this.fills.wake(key);
  }

  /** A write or invalidation of `key` reached this replica: reads and loads in flight may predate it. */
  invalidateReads(key: string): void {
    this.reads.invalidate(key);
    this.loads.detach((loading) => loading === key);
  }

  /** Returns how many L1 entries it dropped (those matching and not newer than the delete). */
  forgetPattern(pattern: string, version: number): number {
    const matches = compileGlob(pattern);
    const dropped = this.dropOlder(version, matches);
    this.tombstones.addPattern(pattern, version);
    this.reads.invalidatePattern(pattern);
    this.loads.detach(matches);
    this.fills.wakeAll();
    return dropped;
  }

  forgetAll(version: number): void {
    this.tombstones.raiseFloor(version);
    this.dropOlder(version, () => true);
    this.reads.invalidateAll();
    this.loads.detach(() => true);
    this.fills.wakeAll();
  }

  /**
   * Messages may have been lost: nothing in L1 can be trusted, nor any read in flight, nor a
   * peer's value read before now (it may have lost to the invalidation that was missed).
   */
  distrust(): void {
    this.trustedSince = this.clock.next();
    this.l1.clear();
    this.reads.invalidateAll();
    this.loads.detach(() => true);
    this.fills.wakeAll();
  }

  /** Lets L1 answer reads until `time` (epoch ms); entries stay as fail-safe fallbacks after it. */
  answerUntil(time: number): void {
    this.answerUntilTime = time;
  }

  /** Extends answering to `time` if that is later (an own message came back). */
  answerAtLeastUntil(time: number): void {
    if (time > this.answerUntilTime) this.answerUntilTime = time;
  }

  /** Forgets tombstones past their TTL. */
  sweep(): void {
    this.tombstones.sweep();
  }

  clear(): void {
    this.l1.clear();
  }

  private dropOlder(version: number, matches: (key: string) => boolean): number {
    const doomed = [...this.l1.keys()].filter((key) => matches(key) && this.versionOf(key) <= version);
    for (const key of doomed) this.l1.delete(key);
    return doomed.length;
  }

  /** A peer's value may be kept: read after the last resync, recently enough to check, and not concurrent with a delete. */
  private trustsPeer(key: string, version: number, vouched: boolean): boolean {
    return (
      (vouched || version >= this.trustedSince) &&
      !this.tombstones.outlived(version) &&
      this.tombstones.accepts(key, version, this.options.skewTicks)
    );
  }
}
