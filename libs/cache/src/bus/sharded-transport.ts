import type Redis from 'ioredis';
import type { Cluster } from 'ioredis';
import type { Logger } from '../logger';
import { slotOf } from '../redis/slot';
import type { RedisGateway } from '../redis/gateway';
import type { ReplayLog } from './replay-log';
import { pairs, type BusTransport, type TransportHandlers } from './transport';

/** After a failed SSUBSCRIBE (cluster down, slot moving), try again this much later. */
const RESUBSCRIBE_DELAY_MS = 250;

/**
 * The bus on Redis Cluster: sharded pub/sub (SPUBLISH / SSUBSCRIBE), so a cache's messages go
 * only to the shard that owns its channel's slot instead of being broadcast over the cluster
 * bus to every node, as classic PUBLISH is.
 *
 * It holds one plain connection to the master that owns the channel's slot, and reports every
 * loss and recovery of the subscription exactly as `RedisPubSubTransport` does, so the bus's gap
 * detection and resync work unchanged. ioredis's own cluster subscriber is not used: it
 * resubscribes silently (the bus must know when messages may have been missed), and an
 * SSUBSCRIBE answered with MOVED never settles. The slot is followed instead: when the
 * subscriber's node refuses the channel (MOVED) or drops it (an unsolicited SUNSUBSCRIBE when the
 * slot migrates or its master is demoted), the connection is replaced by one to the owner the
 * cluster's slot map names; while the connection is down, each reconnect attempt reads the map
 * again, so a failover is followed to the promoted replica. While subscribed, the node itself is
 * trusted over the map: nodes learn of a failover at different times, and a stale map must not
 * pull a live subscription away (each move costs every replica its L1). The limit: a master cut
 * off from the cluster keeps its subscribers until it rejoins and drops the channel.
 */
export class ShardedPubSubTransport implements BusTransport {
  private readonly slot: number;
  private handlers: TransportHandlers | undefined;
  private subscriber: Redis | undefined;
  /** `host:port` of the master the subscriber is connected to. */
  private node: string | undefined;
  private subscribedNow = false;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly follow = () => this.followSlot();

  constructor(
    private readonly cluster: Cluster,
    private readonly gateway: RedisGateway,
    private readonly channel: string,
    private readonly connect: (node: { host: string; port: number }) => Redis,
    private readonly logger: Logger,
    private readonly log?: ReplayLog,
  ) {
    this.slot = slotOf(channel);
  }

  start(handlers: TransportHandlers): void {
    this.handlers = handlers;
    this.cluster.on('refresh', this.follow);
    this.cluster.on('ready', this.follow);
    this.followSlot();
  }

  async publish(payloads: readonly string[], logged?: readonly string[]): Promise<void> {
    if (logged && this.log) return this.log.append(pairs(payloads, logged));
    if (payloads.length === 1) {
      await this.gateway.run('publish', (redis) => redis.spublish(this.channel, payloads[0]!));
      return;
    }
    await this.gateway.pipeline('publish', (pipeline) => {
      for (const payload of payloads) pipeline.spublish(this.channel, payload);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subscribedNow = false;
    this.cluster.off('refresh', this.follow);
    this.cluster.off('ready', this.follow);
    this.detach();
  }

  /**
   * Subscribes on the slot's master, unless subscribed already or connected to it. Waits for the
   * cluster client to be ready: the first heartbeat after subscribing is published through it.
   */
  private followSlot(): void {
    if (this.closed || this.subscribedNow || this.cluster.status !== 'ready') return; // 'ready' follows again
    const owner = this.cluster.slots[this.slot]?.[0];
    if (owner === undefined || (owner === this.node && this.subscriber !== undefined)) return;
    if (this.node !== undefined) this.logger.info('bus channel moved', { from: this.node, to: owner });
    this.detach();
    this.attach(owner);
  }

  private attach(node: string): void {
    const colon = node.lastIndexOf(':');
    const subscriber = this.connect({ host: node.slice(0, colon), port: Number(node.slice(colon + 1)) });
    this.subscriber = subscriber;
    this.node = node;
    subscriber.on('smessage', (channel: string, payload: string) => {
      if (channel === this.channel) this.handlers?.message(payload);
    });
    subscriber.on('ready', () => this.subscribe(subscriber));
    subscriber.on('close', () => this.lose('subscriber connection closed'));
    // the node may be gone for good (failover): each reconnect attempt asks for the slot map again
    subscriber.on('reconnecting', () => this.cluster.refreshSlotsCache());
    subscriber.on('moved', () => this.replace('the node no longer serves the channel (MOVED)'));
    subscriber.on('error', (error: unknown) => {
      // ioredis surfaces an unsolicited SUNSUBSCRIBE (slot migrated away) as a queue state error
      if (error instanceof Error && error.message.includes('Last reply: sunsubscribe')) {
        this.replace('the node dropped the channel (SUNSUBSCRIBE)');
      } else this.logger.debug('bus subscriber error', { err: error });
    });
    if (subscriber.status === 'ready') this.subscribe(subscriber);
  }

  private subscribe(subscriber: Redis): void {
    clearTimeout(this.retry);
    subscriber.ssubscribe(this.channel).then(
      () => {
        if (subscriber !== this.subscriber || this.subscribedNow) return;
        this.subscribedNow = true;
        this.handlers?.subscribed();
      },
      (error: unknown) => {
        if (subscriber !== this.subscriber) return;
        this.logger.warn('bus subscribe failed; retrying', {
          channel: this.channel,
          node: this.node,
          err: error,
        });
        this.retry = setTimeout(() => {
          if (subscriber === this.subscriber && subscriber.status === 'ready') this.subscribe(subscriber);
        }, RESUBSCRIBE_DELAY_MS);
        this.retry.unref();
        this.cluster.refreshSlotsCache();
      },
    );
  }

  /**
   * The subscription is gone for good on this connection: drop it and follow the slot map. If
   * the map still names the node just left, wait a little before asking it again.
   */
  private replace(reason: string): void {
    const left = this.node;
    this.logger.info('bus subscriber follows the channel slot', { reason, node: left });
    this.detach(reason);
    this.cluster.refreshSlotsCache(() => {
      if (this.cluster.slots[this.slot]?.[0] !== left) return this.followSlot();
      this.retry = setTimeout(this.follow, RESUBSCRIBE_DELAY_MS);
      this.retry.unref();
    });
  }

  private lose(reason: string): void {
    if (!this.subscribedNow) return;
    this.subscribedNow = false;
    this.handlers?.lost(reason);
  }

  private detach(reason = 'bus channel moved to another node'): void {
    clearTimeout(this.retry);
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    this.node = undefined;
    this.lose(reason);
    if (subscriber === undefined) return;
    subscriber.removeAllListeners();
    subscriber.on('error', () => undefined);
    subscriber.disconnect();
  }
}
