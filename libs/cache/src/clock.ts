/** Logical ticks per millisecond: versions are `ms * TICKS_PER_MS + counter`, exact in a double until 2248. */
const TICKS_PER_MS = 1024;

/**
 * What to add to this machine's clock to read the Redis server's (see ClockSync). One value for
 * the process: every cache in it reads the same machine clock, and its Redis's clock is the
 * fleet's common reference.
 */
let offsetMs = 0;

/** Sets the machine clock's offset from Redis's clock (ClockSync's measurement). */
export function setClockOffset(ms: number): void {
  offsetMs = ms;
}

/** Wall time in ms on the fleet's common clock: the machine's clock corrected by ClockSync. */
export function nowMs(): number {
  return Date.now() + offsetMs;
}

/** A time on the fleet's clock (nowMs, wallClockMs) as this machine's clock reads it (Date.now). */
export function localMs(fleetMs: number): number {
  return fleetMs - offsetMs;
}

/**
 * A hybrid logical clock whose readings are the versions of cache entries and invalidations.
 * It follows wall time, never goes backwards, and moves past every version it observes from a
 * peer, so an invalidation issued after seeing a fill always carries a higher version than it.
 */
export class VersionClock {
  private last = 0;

  /** A new version, greater than every version this clock has issued or observed. */
  next(): number {
    const wall = nowMs() * TICKS_PER_MS;
    this.last = wall > this.last ? wall : this.last + 1;
    return this.last;
  }

  /** Records a version seen from a peer so later versions issued here are greater. */
  observe(version: number): void {
    if (version > this.last) this.last = version;
  }

  /** A duration in version ticks. */
  static ticks(ms: number): number {
    return ms * TICKS_PER_MS;
  }

  /** The wall-clock millisecond a version was issued at. */
  static millisOf(version: number): number {
    return Math.floor(version / TICKS_PER_MS);
  }
}

/** Sub-millisecond wall time on the fleet's common clock (see nowMs), comparable across replicas. */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now() + offsetMs;
}
