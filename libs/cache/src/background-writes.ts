import type { Logger } from './logger';

/**
 * Writes the cache does not make its caller wait for: the publish and L2 write of a loaded value,
 * a lease's release, an abandon. The caller has its answer already, so a failure is logged, never
 * thrown; and `close` waits for those still in flight before it closes the connections.
 */
export class BackgroundWrites {
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly logger: Logger) {}

  track(work: Promise<unknown>): void {
    const tracked = work.catch((error: unknown) =>
      this.logger.warn('background write failed', { err: error }),
    );
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }

  /** Resolves once every write tracked so far has ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}
