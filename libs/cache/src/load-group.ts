/**
 * One load per key per process: concurrent callers for a key share the first caller's promise,
 * so the loader runs once and a failure reaches every waiter as the same error.
 */
export class LoadGroup {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  run<T>(key: string, load: () => Promise<T>): { promise: Promise<T>; shared: boolean } {
    const existing = this.inFlight.get(key);
    if (existing !== undefined) return { promise: existing as Promise<T>, shared: true };
    const promise = (async () => {
      try {
        return await load();
      } finally {
        this.inFlight.delete(key);
      }
    })();
    this.inFlight.set(key, promise);
    return { promise, shared: false };
  }

  /** Lets the next caller start a new load of `key` while `promise` (given up on) goes on alone. */
  forget(key: string, promise: Promise<unknown>): void {
    if (this.inFlight.get(key) === promise) this.inFlight.delete(key);
  }

  get size(): number {
    return this.inFlight.size;
  }
}
