import type Redis from 'ioredis';
import type { Logger } from '../logger';
import type { RedisGateway } from '../redis/gateway';
import type { ReplayLog } from './replay-log';

/** What a transport tells the bus. */
export interface TransportHandlers {
  message(payload: string): void;
  /** The subscription is (again) in place; messages from now on will arrive. */
  subscribed(): void;
  /** The subscription is gone; messages published from now on are lost to this replica. */
  lost(reason: string): void;
}

/**
 * Moves payloads between replicas. The Redis pub/sub transport is the real one; tests wrap it
 * to drop, duplicate or reorder messages that the real transport delivered.
 */
export interface BusTransport {
  start(handlers: TransportHandlers): void;
  /**
   * Sends payloads in order in one round trip; rejects when they could not be sent. With
   * `logged` (one per payload), also appends those to the replay log, in the same step.
   */
  publish(payloads: readonly string[], logged?: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** After a failed SUBSCRIBE on a live connection, try again this much later. */
const RESUBSCRIBE_DELAY_MS = 250;

/**
 * Redis pub/sub on one channel. The subscriber has its own connection (a subscribed connection
 * cannot run other commands) and resubscribes itself after every reconnect, reporting each
 * loss and recovery so the bus can distrust what it may have missed.
 */
export class RedisPubSubTransport implements BusTransport {
  private subscribedNow = false;

  constructor(
    private readonly subscriber: Redis,
    private readonly gateway: RedisGateway,
    private readonly channel: string,
    private readonly logger: Logger,
    private readonly log?: ReplayLog,
  ) {}

  start(handlers: TransportHandlers): void {
    this.subscriber.on('message', (channel: string, payload: string) => {
      if (channel === this.channel) handlers.message(payload);
    });
    const subscribe = () => {
      this.subscriber.subscribe(this.channel).then(
        () => {
          this.subscribedNow = true;
          handlers.subscribed();
        },
        (error: unknown) => {
          // The connection may stay up (a command timeout, a refused channel): try again, or the
          // replica would stay unsubscribed, bypassing L1, until the connection happens to drop.
          this.logger.warn('bus subscribe failed; retrying', { channel: this.channel, err: error });
          const retry = setTimeout(() => {
            if (this.subscriber.status === 'ready' && !this.subscribedNow) subscribe();
          }, RESUBSCRIBE_DELAY_MS);
          retry.unref();
        },
      );
    };
    this.subscriber.on('ready', subscribe);
    this.subscriber.on('close', () => {
      if (!this.subscribedNow) return;
      this.subscribedNow = false;
      handlers.lost('subscriber connection closed');
    });
    this.subscriber.on('error', (error: unknown) =>
      this.logger.debug('bus subscriber error', { err: error }),
    );
    if (this.subscriber.status === 'ready') this.subscriber.emit('ready');
  }

  async publish(payloads: readonly string[], logged?: readonly string[]): Promise<void> {
    if (logged && this.log) return this.log.append(pairs(payloads, logged));
    if (payloads.length === 1) {
      await this.gateway.run('publish', (redis) => redis.publish(this.channel, payloads[0]!));
      return;
    }
    await this.gateway.pipeline('publish', (pipeline) => {
      for (const payload of payloads) pipeline.publish(this.channel, payload);
    });
  }

  async close(): Promise<void> {
    this.subscribedNow = false;
    this.subscriber.disconnect();
  }
}

/** Each payload with its logged form. */
export function pairs(payloads: readonly string[], logged: readonly string[]) {
  return payloads.map((payload, index) => ({ payload, logged: logged[index] ?? payload }));
}
