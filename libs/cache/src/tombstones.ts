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
 * `floor` is the version of the last `clear` or local flush: nothing older is accepted again
 * (a value at exactly the floor was issued concurrently by another replica and is let in).
 * Tombstones live `ttlMs`; writes older than that are refused outright (see `accepts`).
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

  /** Everything up to `version` is gone (a clear, or a flush of entries that can no longer be trusted). */
  raiseFloor(version: number): void {
    if (version > this.floor) this.floor = version;
  }

  /**
   * True when a value of `key` at `version` may be stored: no delete, pattern delete or clear at
   * or after it is remembered, and it is young enough that such a delete would still be remembered.
   */
  accepts(key: string, version: number, versionMillis: number): boolean {
    if (version < this.floor) return false;
    if (Date.now() - versionMillis >= this.ttlMs) return false;
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
