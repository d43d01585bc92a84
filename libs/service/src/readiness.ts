/** Whether a replica's Redis connections (and, for the cache API, its bus subscription) are up right now. */
export type RedisState = 'connected' | 'unavailable';

/** What `/ready` answers: 200 with a body, or 503 with an error code and message. */
export type ReadinessAnswer =
  | { readonly ready: true; readonly body: { readonly status: 'ready'; readonly redis: RedisState } }
  | {
      readonly ready: false;
      readonly code: 'NOT_READY' | 'SHUTTING_DOWN';
      readonly message: string;
    };

/**
 * The readiness policy both services share. `/ready` gates the two ends of a replica's life and
 * nothing in between:
 * - start-up: 503 `NOT_READY` until `connected` first holds (its Redis connections answer and,
 *   for the cache API, the bus is subscribed), so a replica joins the Service only once it takes
 *   part in coherence;
 * - shutdown: 503 `SHUTTING_DOWN` from the moment it begins, so traffic moves elsewhere first.
 *
 * A Redis outage after start-up does NOT make a replica unready. Redis is shared by every
 * replica: failing readiness on its outage would take every replica out of the Service at once,
 * and clients would get the load balancer's 503 even for what L1 holds. The replica degrades
 * instead, as the engine's rules say: L1 keeps answering, and what needs Redis gets the replica's
 * own 503 `REDIS_UNAVAILABLE`. `/ready` stays 200 and its body says `"redis": "unavailable"`.
 */
export class Readiness {
  private started = false;
  private stopping = false;

  /**
   * @param connected true while every connection the replica needs is up right now.
   * @param waitingMessage the 503 `NOT_READY` message: what start-up waits for.
   */
  constructor(
    private readonly connected: () => boolean,
    private readonly waitingMessage: string,
  ) {}

  /**
   * Notes start-up as done once `connected` holds, for good. Call it whenever a connection comes
   * up; `/ready` calls it too, so a missed event only delays start-up until the next probe.
   */
  update(): void {
    if (!this.started && !this.stopping && this.connected()) this.started = true;
  }

  /** True once shutdown began. */
  get shuttingDown(): boolean {
    return this.stopping;
  }

  /** From now on `/ready` answers 503 `SHUTTING_DOWN`. */
  beginShutdown(): void {
    this.stopping = true;
  }

  /** The answer to `GET /ready`. */
  answer(): ReadinessAnswer {
    if (this.stopping)
      return { ready: false, code: 'SHUTTING_DOWN', message: 'this instance is shutting down' };
    this.update();
    if (!this.started) return { ready: false, code: 'NOT_READY', message: this.waitingMessage };
    return { ready: true, body: { status: 'ready', redis: this.connected() ? 'connected' : 'unavailable' } };
  }
}
