/** One caller listening for a peer's fill of a key (see `FillWaiters.watch`). */
export interface FillWatch {
  /** True once the key's fill, abandon or invalidation arrived after the watch began. */
  readonly woken: boolean;
  /** Resolves true when woken (at once if it already was), false after `timeoutMs`; then stops watching. */
  wait(timeoutMs: number): Promise<boolean>;
  /** Stops watching without waiting. */
  cancel(): void;
}

/**
 * Callers waiting for a peer's fill of a key, woken by the bus or by their deadline. A caller
 * starts watching before it asks for the lease: the holder's fill may arrive while the lease
 * request is on its way, and this replica may not keep it (a concurrent delete, say), so the
 * fill leaves nothing to find. The watch remembers that it came, so the caller does not wait for
 * a fill that has come and gone.
 */
export class FillWaiters {
  private readonly waiting = new Map<string, Set<() => void>>();

  /** Starts listening for `key` now; `wait` on the result once the lease is known to be lost. */
  watch(key: string): FillWatch {
    let woken = false;
    let settle: ((woken: boolean) => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    let set = this.waiting.get(key);
    if (set === undefined) this.waiting.set(key, (set = new Set()));
    const waiters = set;
    const stop = () => {
      clearTimeout(timer);
      waiters.delete(wake);
      if (waiters.size === 0 && this.waiting.get(key) === waiters) this.waiting.delete(key);
    };
    const wake = () => {
      woken = true;
      stop();
      settle?.(true);
    };
    waiters.add(wake);
    return {
      get woken() {
        return woken;
      },
      wait: (timeoutMs) => {
        if (woken) return Promise.resolve(true);
        return new Promise<boolean>((resolve) => {
          settle = resolve;
          timer = setTimeout(() => {
            stop();
            resolve(false);
          }, timeoutMs);
        });
      },
      cancel: stop,
    };
  }

  wake(key: string): void {
    const waiters = this.waiting.get(key);
    if (waiters === undefined) return;
    this.waiting.delete(key);
    for (const wake of [...waiters]) wake();
  }

  wakeAll(): void {
    for (const key of [...this.waiting.keys()]) this.wake(key);
  }
}
