import type { BackgroundWrites } from './background-writes';
import type { VersionClock } from './clock';
import type { ReadTicket } from './in-flight';
import type { RedisL2 } from './l2';
import type { BatchLoader, Lookup } from './lookup';
import type { ReplicaMemory } from './replica-memory';
import type { CacheStats } from './stats';
import type { WritePath } from './write-path';

/**
 * The tiers below L1, read for a batch of keys that missed it: L2 first (one MGET), then the
 * loader for the rest (one call). What they answer is kept here and sent to peers, unless an
 * invalidation reached the read's ticket meanwhile: then it is only handed to the caller, as it
 * may predate the write behind the invalidation. A batch keeps a miss of many keys at two round
 * trips, however many keys.
 */
export class LowerTiers<V> {
  constructor(
    private readonly memory: ReplicaMemory<V>,
    private readonly clock: VersionClock,
    private readonly l2: RedisL2 | undefined,
    private readonly writes: WritePath<V>,
    private readonly background: BackgroundWrites,
    private readonly stats: CacheStats,
    /** Records a loader call's duration (seconds). */
    private readonly observeLoad: (seconds: number) => void,
  ) {}

  /** Reads `keys` under `ticket`; without a loader, only L2. Keys found nowhere are left out. */
  async read(
    keys: string[],
    loader: BatchLoader<V> | undefined,
    ttlMs: number,
    ticket: ReadTicket,
  ): Promise<Map<string, Lookup<V>>> {
    const results = new Map<string, Lookup<V>>();
    let missing = keys;
    if (this.l2) {
      const found = await this.l2.getMany(keys);
      missing = keys.filter((key, i) => {
        const hit = found[i];
        if (hit === undefined) return true;
        this.clock.observe(hit.version);
        if (ticket.isStale(key) || !this.memory.accepts(key, hit.version)) return true;
        this.memory.store(
          key,
          { value: hit.value as V, version: hit.version, origin: 'l2', writer: 'l2', size: hit.json.length },
          ttlMs,
        );
        this.stats.l2Fills++;
        results.set(key, { value: hit.value as V, from: 'l2' });
        return false;
      });
    }
    if (missing.length === 0 || loader === undefined) return results;
    const version = this.clock.next();
    const loaded = await this.timeLoad(() => loader(missing));
    const fresh: [string, V][] = [];
    for (const key of missing) {
      const value = loaded.get(key);
      if (value === undefined) continue;
      results.set(key, { value, from: 'source' });
      this.stats.sourceFills++;
      if (!ticket.isStale(key)) fresh.push([key, value]);
    }
    this.background.track(this.writes.put(fresh, version, ttlMs, ticket));
    return results;
  }

  private async timeLoad<T>(load: () => Promise<T> | T): Promise<T> {
    const started = performance.now();
    try {
      return await load();
    } catch (error) {
      this.stats.loaderErrors++;
      throw error;
    } finally {
      this.observeLoad((performance.now() - started) / 1000);
    }
  }
}
