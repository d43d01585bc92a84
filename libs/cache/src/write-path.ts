import type { CacheBus } from './bus/bus';
import type { BusMessage } from './bus/message';
import type { VersionClock } from './clock';
import { ValueNotSerializableError } from './errors';
import type { ReadTicket } from './in-flight';
import type { RedisL2 } from './l2';
import type { ReplicaMemory } from './replica-memory';
import type { CacheStats } from './stats';

/** What a write did beyond this replica. */
export interface WriteResult {
  /** False when the bus could not take the message: peers learn of it as a sequence gap instead. */
  propagated: boolean;
}

/**
 * Every change this replica makes goes three ways: into its own L1 (a value at its version, an
 * invalidation with its tombstone), to every peer over the bus, and to L2. One place for the
 * three, so a `set`, a value loaded on a miss and the invalidations follow the same rules.
 * An invalidation takes the clock's next version; a put takes the version it was given (a
 * loaded value's is drawn before its load, so an invalidation during the load wins).
 */
export class WritePath<V> {
  constructor(
    private readonly memory: ReplicaMemory<V>,
    private readonly clock: VersionClock,
    private readonly bus: CacheBus,
    private readonly l2: RedisL2 | undefined,
    private readonly stats: CacheStats,
    private readonly settings: {
      /** This instance on the bus: the `writer` of every entry it loads or writes. */
      origin: string;
      /** Larger values are not sent: peers are told to drop their copy instead. */
      maxValueBytes: number;
    },
  ) {}

  /**
   * Keeps this replica's values (loaded or written at `version`) and sends them to peers and L2;
   * a read's values are marked published on its ticket.
   */
  async put(
    entries: (readonly [string, V])[],
    version: number,
    ttlMs: number,
    ticket?: ReadTicket,
  ): Promise<WriteResult> {
    const messages: BusMessage[] = [];
    const l2Writes: { key: string; json: string; version: number; ttlMs: number }[] = [];
    for (const [key, value] of entries) {
      const json = serialise(key, value);
      if (!this.memory.accepts(key, version)) continue;
      this.memory.invalidateReads(key); // a read in flight for this key may predate this write
      const supersedes = this.memory.versionOf(key);
      const entry = {
        value,
        version,
        origin: 'own',
        writer: this.settings.origin,
        size: Buffer.byteLength(json),
      } as const;
      this.memory.store(key, entry, ttlMs);
      const tooLarge = json.length > this.settings.maxValueBytes;
      if (tooLarge) this.stats.valuesTooLarge++;
      messages.push({ type: 'put', key, version, ttlMs, supersedes, ...(tooLarge ? {} : { json }) });
      ticket?.published.add(key);
      l2Writes.push({ key, json, version, ttlMs });
    }
    const [propagated] = await Promise.all([this.bus.publish(messages), this.l2?.setMany(l2Writes)]);
    return { propagated };
  }

  /** Removes a key; a fill older than this delete is refused everywhere. */
  async delete(key: string): Promise<WriteResult> {
    const version = this.clock.next();
    this.memory.forget(key, version);
    const [propagated] = await Promise.all([
      this.bus.publish([{ type: 'delete', key, version }]),
      this.l2?.delete(key, version),
    ]);
    return { propagated };
  }

  /** Removes every key matching a Redis-style glob; `removed` counts those dropped from this L1. */
  async deletePattern(pattern: string): Promise<WriteResult & { removed: number }> {
    const version = this.clock.next();
    const removed = this.memory.forgetPattern(pattern, version);
    const [propagated] = await Promise.all([
      this.bus.publish([{ type: 'deletePattern', pattern, version }]),
      this.l2?.deleteByPattern(pattern),
    ]);
    return { propagated, removed };
  }

  /** Empties the cache. */
  async clear(): Promise<WriteResult> {
    const version = this.clock.next();
    this.memory.forgetAll(version);
    const [propagated] = await Promise.all([
      this.bus.publish([{ type: 'clear', version }]),
      this.l2?.deleteByPattern('*'),
    ]);
    return { propagated };
  }
}

function serialise(key: string, value: unknown): string {
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return json;
  } catch (error) {
    throw new ValueNotSerializableError(`value of "${key}" cannot be serialised to JSON`, { cause: error });
  }
  throw new ValueNotSerializableError(`value of "${key}" cannot be serialised to JSON`);
}
