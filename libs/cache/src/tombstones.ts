import { nowMs, VersionClock } from './clock';
import { compileGlob } from './glob';

interface Tombstone {
  version: number;
  expiresAt: number;
}

interface PatternTombstone extends Tombstone {
  matches: (key: string) => boolean;
}

/**
 * Short-lived memory of invalidations, so that a fill carrying an older version — delivered
 * late by the bus or finished late by a slow loader — loses to the delete that came after it.
 * `floor` is the version of the last `clear`: nothing older is accepted again (a value at exactly
 * the floor was issued concurrently by another replica and is let in). Tombstones live `ttlMs`:
 * a peer's value read longer ago than that cannot be checked any more (see `outlived`).
 */
export class Tombstones {
  private readonly keys = new Map<string, Tombstone>();
  private patterns: PatternTombstone[] = [];
  private floor = 0;

  constructor(private readonly ttlMs: number) {}

  /** Records that `key` was deleted at `version`. */
  addKey(key: string, version: number): void {
    const existing = this.keys.get(key);
    if (existing !== undefined && existing.version >= version) return;
    this.keys.delete(key); // re-insert so the map stays ordered by expiry
    this.keys.set(key, { version, expiresAt: Date.now() + this.ttlMs });
  }

  addPattern(pattern: string, version: number): void {
    this.patterns.push({ matches: compileGlob(pattern), version, expiresAt: Date.now() + this.ttlMs });
  }

  /** Everything before `version` is gone (a clear). */
  raiseFloor(version: number): void {
    if (version > this.floor) this.floor = version;
  }

  /**
   * True when a value of `key` at `version` may be kept: no delete, pattern delete or clear is
   * remembered at or after it, nor within `margin` ticks before it (a delete that close on another
   * replica's clock may well have come after it).
   */
  accepts(key: string, version: number, margin = 0): boolean {
    if (version < this.floor) return false;
    const tombstone = this.keys.get(key);
    if (tombstone !== undefined && tombstone.version + margin >= version) return false;
    for (const pattern of this.patterns) {
      if (pattern.version + margin >= version && pattern.matches(key)) return false;
    }
    return true;
  }

  /** True when a value read at `version` is too old to check: a delete it lost to may be forgotten. */
  outlived(version: number): boolean {
    return nowMs() - VersionClock.millisOf(version) >= this.ttlMs;
  }

  /** Forgets tombstones older than the TTL. */
  sweep(now = Date.now()): void {
    for (const [key, tombstone] of this.keys) {
      if (tombstone.expiresAt > now) break;
      this.keys.delete(key);
    }
    if (this.patterns.length > 0) this.patterns = this.patterns.filter((p) => p.expiresAt > now);
  }

  get size(): number {
    return this.keys.size + this.patterns.length;
  }
}
