import { compileGlob } from './glob';

/**
 * A read from L2 or the source in progress. Invalidations that arrive while it runs mark it, so
 * its result is handed to the caller but neither kept nor sent to peers: whatever it read may
 * predate the write behind the invalidation. This is exact where comparing clocks is not.
 */
export class ReadTicket {
  private stale: Set<string> | 'all' | undefined;
  /** Keys whose value this read kept and published: peers waiting on this replica's load lease get it as a fill. */
  readonly published = new Set<string>();

  constructor(readonly keys: readonly string[]) {}

  isStale(key: string): boolean {
    return this.stale === 'all' || (this.stale?.has(key) ?? false);
  }

  markStale(key?: string): void {
    if (key === undefined) this.stale = 'all';
    else if (this.stale === undefined) this.stale = new Set([key]);
    else if (this.stale !== 'all') this.stale.add(key);
  }
}

/** The reads in flight in this process, so an invalidation can reach them. */
export class InFlightReads {
  private readonly tickets = new Set<ReadTicket>();

  /** Runs `read` under a ticket for `keys`. */
  async run<T>(keys: readonly string[], read: (ticket: ReadTicket) => Promise<T>): Promise<T> {
    const ticket = new ReadTicket(keys);
    this.tickets.add(ticket);
    try {
      return await read(ticket);
    } finally {
      this.tickets.delete(ticket);
    }
  }

  invalidate(key: string): void {
    for (const ticket of this.tickets) if (ticket.keys.includes(key)) ticket.markStale(key);
  }

  invalidatePattern(pattern: string): void {
    if (this.tickets.size === 0) return;
    const matches = compileGlob(pattern);
    for (const ticket of this.tickets) for (const key of ticket.keys) if (matches(key)) ticket.markStale(key);
  }

  invalidateAll(): void {
    for (const ticket of this.tickets) ticket.markStale();
  }
}
