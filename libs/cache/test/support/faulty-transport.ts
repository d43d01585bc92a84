import type { BusTransport, TransportHandlers } from '../../src';

/**
 * Wraps the real Redis transport to inject the faults Redis cannot produce on demand:
 * dropping, duplicating and reordering delivered messages, and failing publishes.
 */
export class FaultyTransport implements BusTransport {
  private held: string[] | undefined;
  private dropNext = 0;
  private duplicate = false;
  private failPublishes = 0;
  delivered = 0;

  constructor(private readonly inner: BusTransport) {}

  start(handlers: TransportHandlers): void {
    this.inner.start({
      ...handlers,
      message: (payload) => {
        if (this.dropNext > 0 && !isHeartbeat(payload)) {
          this.dropNext--;
          return;
        }
        if (this.held) {
          this.held.push(payload);
          return;
        }
        this.delivered++;
        handlers.message(payload);
        if (this.duplicate) handlers.message(payload);
      },
    });
    this.deliver = handlers.message;
  }

  publish(payloads: readonly string[], logged?: readonly string[]): Promise<void> {
    if (this.failPublishes > 0) {
      this.failPublishes--;
      return Promise.reject(new Error('injected publish failure'));
    }
    return this.inner.publish(payloads, logged);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** Drops the next `count` non-heartbeat messages delivered to this replica. */
  drop(count: number): void {
    this.dropNext += count;
  }

  /** Delivers every message twice. */
  duplicateAll(enabled = true): void {
    this.duplicate = enabled;
  }

  /** Fails the next `count` publishes from this replica as a lost publisher connection would. */
  failNextPublishes(count: number): void {
    this.failPublishes += count;
  }

  /** Buffers delivered messages (heartbeats included) until `release`. */
  hold(): void {
    this.held = [];
  }

  /**
   * Delivers buffered messages, in order or reversed, and returns how many. Held heartbeats are
   * discarded (the next one carries the same news), so a reordered heartbeat cannot mask the case under test.
   */
  release(order: 'in-order' | 'reversed' = 'in-order'): number {
    const held = (this.held ?? []).filter((payload) => !isHeartbeat(payload));
    this.held = undefined;
    for (const payload of order === 'reversed' ? held.reverse() : held) this.deliver(payload);
    return held.length;
  }

  heldCount(predicate: (payload: string) => boolean = (p) => !isHeartbeat(p)): number {
    return (this.held ?? []).filter(predicate).length;
  }

  private deliver: (payload: string) => void = () => undefined;
}

export function isHeartbeat(payload: string): boolean {
  return payload.includes('"t":"h"');
}

/** Options that give a replica a FaultyTransport; read it back from `.transport` once created. */
export function faulty(): {
  bus: { heartbeatMs: number; wrapTransport: (t: BusTransport) => BusTransport };
  transport: () => FaultyTransport;
} {
  let transport: FaultyTransport | undefined;
  return {
    bus: {
      heartbeatMs: 200,
      wrapTransport: (inner) => (transport = new FaultyTransport(inner)),
    },
    transport: () => {
      if (!transport) throw new Error('replica not created yet');
      return transport;
    },
  };
}

/**
 * Wraps the real transport so that every resubscription after the first takes effect `delayMs`
 * late, as on a loaded server: what is published meanwhile never reaches this replica live.
 */
export class SlowResubscription implements BusTransport {
  private away = false;
  private first = true;

  constructor(
    private readonly inner: BusTransport,
    private readonly delayMs: number,
  ) {}

  start(handlers: TransportHandlers): void {
    this.inner.start({
      message: (payload) => {
        if (!this.away) handlers.message(payload);
      },
      lost: (reason) => {
        this.away = true;
        handlers.lost(reason);
      },
      subscribed: () => {
        if (this.first) {
          this.first = false;
          return handlers.subscribed();
        }
        setTimeout(() => {
          this.away = false;
          handlers.subscribed();
        }, this.delayMs).unref();
      },
    });
  }

  publish(payloads: readonly string[], logged?: readonly string[]): Promise<void> {
    return this.inner.publish(payloads, logged);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
