export interface WaitForOptions {
  /**
   * Long enough for a busy 2-core machine: a wait that passes returns as soon as its condition
   * holds, so only a failing one pays for it.
   * @default 15000
   */
  timeoutMs?: number;
  /** @default 10 */
  intervalMs?: number;
  /** Shown in the timeout error; a function is read at the timeout, to show the state then. */
  description?: string | (() => string);
  /** Stops the polling: the wait rejects with the signal's reason (a caller that no longer needs it). */
  signal?: AbortSignal;
}

/**
 * Polls until `check` returns a truthy value (or stops throwing) and returns that value.
 * Tests wait for conditions with this instead of sleeping fixed times.
 */
export async function waitFor<T>(check: () => T | Promise<T>, options: WaitForOptions = {}): Promise<T> {
  const { timeoutMs = 15_000, intervalMs = 10, description = 'condition', signal } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    signal?.throwIfAborted();
    try {
      const value = await check();
      if (value) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
      const what = typeof description === 'function' ? description() : description;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}`, {
        cause: lastError,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
