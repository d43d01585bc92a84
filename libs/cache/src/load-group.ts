/**
 * One load per key per process: concurrent callers for a key share the first caller's promise,
 * so the loader runs once and a failure reaches every waiter as the same error.
 */
export class LoadGroup {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  run<T>(key: string, load: () => Promise<T>): { promise: Promise<T>; shared: boolean } {
    const existing = this.inFlight.get(key);
    if (existing !== undefined) return { promise: existing as Promise<T>, shared: true };
    let promise: Promise<T> | undefined = undefined;
    promise = (async () => {
      try {
        await undefined; // a load that throws at once still ends after the map holds it
        return await load();
      } finally {
        // a detached or forgotten load must not end the one that replaced it
        if (this.inFlight.get(key) === promise) this.inFlight.delete(key);
      }
    })();
    this.inFlight.set(key, promise);
    return { promise, shared: false };
  }

  /** Lets the next caller start a new load of `key` while `promise` (given up on) goes on alone. */
  forget(key: string, promise: Promise<unknown>): void {
    if (this.inFlight.get(key) === promise) this.inFlight.delete(key);
  }

  /**
   * An invalidation reached the keys `matches` accepts: a load already in flight for one of them
   * may read what was there before, so later callers start a new load instead of joining it.
   * Callers already waiting keep theirs (they asked before the invalidation).
   */
  detach(matches: (key: string) => boolean): void {
    for (const key of [...this.inFlight.keys()]) if (matches(key)) this.inFlight.delete(key);
  }

  get size(): number {
    return this.inFlight.size;
  }
}
