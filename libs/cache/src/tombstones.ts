import { VersionClock } from './clock';
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
 * the floor was issued concurrently by another replica and is let in). Tombstones live `ttlMs`;
 * values read longer ago than that are refused outright, since a delete they lost to may be forgotten.
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
   * True when a value of `key` at `version`, read from its store at `readAt` (a version too), may be
   * kept: no delete, pattern delete or clear after it is remembered, and it was read recently enough
   * that such a delete would still be remembered.
   */
  accepts(key: string, version: number, readAt = version): boolean {
    if (version < this.floor) return false;
    if (Date.now() - VersionClock.millisOf(readAt) >= this.ttlMs) return false;
    const tombstone = this.keys.get(key);
    if (tombstone !== undefined && tombstone.version >= version) return false;
    for (const pattern of this.patterns) {
      if (pattern.version >= version && pattern.matches(key)) return false;
    }
    return true;
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
