import type { ReadTicket } from './in-flight';
import type { LeaseWait } from './lease-wait';
import type { LoadTimeouts } from './load-timeouts';
import type { Logger } from './logger';
import type { BatchLoader, Loader, Lookup } from './lookup';
import type { LowerTiers } from './lower-tiers';
import type { ReplicaMemory } from './replica-memory';
import type { CacheStats } from './stats';

/**
 * Everything between an L1 miss and an answer. A key is loaded once per process however many
 * callers miss it (`LoadGroup`), and once across replicas when the load lease is on
 * (`LeaseWait`); the load reads L2, then the source (`LowerTiers`), under a ticket every
 * invalidation reaches; and each caller waits only as long as its timeouts allow, answering the
 * fail-safe value when there is one (`LoadTimeouts`). The cache in front only checks L1.
 */
export class MissPath<V> {
  constructor(
    private readonly memory: ReplicaMemory<V>,
    private readonly tiers: LowerTiers<V>,
    private readonly leaseWait: LeaseWait<V> | undefined,
    private readonly timeouts: LoadTimeouts<V>,
    private readonly stats: CacheStats,
    private readonly logger: Logger,
    /** How long past its TTL an entry is kept as a fail-safe value (0: none). */
    private readonly graceMs: number,
  ) {}

  /** Loads `key`, or joins its load in flight, within the caller's timeouts. */
  load(key: string, loader: Loader<V>, ttlMs: number): Promise<Lookup<V>> {
    const fallback = this.graceMs > 0 ? this.memory.peek(key) : undefined;
    const load = this.memory.loads.run(key, () => this.loadOne(key, loader, ttlMs));
    if (load.shared) this.stats.loadsDeduplicated++;
    return this.timeouts.bound(key, load.promise, fallback);
  }

  /**
   * Reloads a hot entry in the background before it expires (eager refresh), once per key at a
   * time. The TTL is read when the reload starts: an invalid one fails the reload, not the hit.
   */
  refresh(key: string, loader: Loader<V>, ttlMs: () => number): void {
    const load = this.memory.loads.run(key, () => this.loadOne(key, loader, ttlMs()));
    if (load.shared) return;
    this.stats.eagerRefreshes++;
    load.promise.catch((error: unknown) => this.logger.warn('eager refresh failed', { key, err: error }));
  }

  /** Reads keys from L2 and, with a loader, the source, in one batch; keys found nowhere are left out. */
  read(keys: string[], loader: BatchLoader<V> | undefined, ttlMs: number): Promise<Map<string, Lookup<V>>> {
    return this.memory.reads.run(keys, (ticket) => this.tiers.read(keys, loader, ttlMs, ticket));
  }

  /**
   * A miss of one key: with a load lease, only one replica loads it and the others take its fill
   * from the bus; without (lost the race for too long, Redis down), this replica loads it.
   */
  private async loadOne(key: string, loader: Loader<V>, ttlMs: number): Promise<Lookup<V>> {
    let read: ReadTicket | undefined;
    const lease = this.leaseWait
      ? await this.leaseWait.take(key, () => read?.published.has(key) ?? false)
      : undefined;
    if (lease !== undefined && 'filled' in lease) return lease.filled;
    try {
      const found = await this.memory.reads.run([key], (ticket) => {
        read = ticket;
        return this.tiers.read(
          [key],
          async ([only]) => new Map(toEntries(only!, await loader(only!))),
          ttlMs,
          ticket,
        );
      });
      const result = found.get(key);
      if (result === undefined) this.stats.misses++;
      return result ?? { value: undefined, from: undefined };
    } finally {
      lease?.release(); // also when no fill went out (an invalidation overtook the load): waiters must not wait in vain
    }
  }
}

function toEntries<V>(key: string, value: V | undefined): [string, V][] {
  return value === undefined ? [] : [[key, value]];
}
