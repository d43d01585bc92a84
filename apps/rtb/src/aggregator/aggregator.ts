import { setTimeout as sleep } from 'node:timers/promises';
import { isReplyError, type Logger, type RedisConnection } from '@clustache/service';
import type { BucketStore } from '../store/bucket-store';
import { RTB_KEYS } from '../store/keys';
import { parseStreamEntry, type StreamedTag } from '../store/tag-stream';
import type { AggregatorMetrics } from './metrics';
import { StreamHousekeeper } from './stream-housekeeper';

export interface AggregatorOptions {
  /** This consumer's name in the group; stable across restarts so it takes back its own pending tags first. */
  consumer: string;
  /** Tags read per round. @default 1000 */
  batchSize?: number;
  /** How long a read waits for new tags. @default 1000 */
  blockMs?: number;
  /** A tag delivered to an aggregator that has not acknowledged it for this long is taken over. @default 30000 */
  claimIdleMs?: number;
  /** How often trimming and the lag gauges run. @default 5000 */
  housekeepingMs?: number;
}

type StreamReply = [key: string, entries: [id: string, fields: string[]][]][] | null;

/**
 * One consumer of the `rtb:tags` stream in the `rtb-aggregators` group: it reads tags, applies
 * them to their 1-minute buckets exactly once (BucketStore.apply acknowledges and appends in one
 * script), takes over tags an aggregator that died left unacknowledged, and keeps the stream
 * and the buckets trimmed. Any number can run, in one process or many; a restarted one first
 * finishes what it had been given.
 */
export class Aggregator {
  private running = false;
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly housekeeper: StreamHousekeeper;
  private readonly options: Required<AggregatorOptions>;

  constructor(
    private readonly redis: RedisConnection,
    private readonly buckets: BucketStore,
    private readonly metrics: AggregatorMetrics,
    private readonly logger: Logger,
    options: AggregatorOptions,
  ) {
    this.options = { batchSize: 1000, blockMs: 1000, claimIdleMs: 30_000, housekeepingMs: 5000, ...options };
    this.housekeeper = new StreamHousekeeper(redis, buckets, metrics, this.options.consumer);
  }

  get consumer(): string {
    return this.options.consumer;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /**
   * Stops after the current round (at most one read's `blockMs`), cutting short the back-off
   * after a failed one. With Redis down the round cannot end until it returns (its command waits
   * to be sent again), so it is left to the connection's close instead of waited for.
   */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping.abort();
    await Promise.race([this.loop, this.redis.whenLost()]);
  }

  private async run(): Promise<void> {
    let setUp = false;
    let lastClaim = 0;
    let lastHousekeeping = 0;
    let failures = 0;
    while (this.running) {
      try {
        if (!setUp) {
          await this.ensureGroup();
          await this.drainOwnPending();
          setUp = true;
        }
        const now = Date.now();
        if (now - lastClaim >= this.options.claimIdleMs / 2) {
          await this.claimAbandoned();
          lastClaim = now;
        }
        if (now - lastHousekeeping >= this.options.housekeepingMs) {
          await this.housekeeper.run();
          lastHousekeeping = now;
        }
        await this.apply(await this.read('>', this.options.blockMs));
        failures = 0;
      } catch (error) {
        this.metrics.errors.inc();
        if (isReplyError(error, 'NOGROUP')) setUp = false;
        failures += 1;
        this.logger.warn('aggregator round failed; retrying', { consumer: this.consumer, err: error });
        await sleep(Math.min(100 * 2 ** failures, 5000), undefined, { signal: this.stopping.signal }).catch(
          () => undefined,
        );
      }
    }
  }

  /** Creates the group reading from the stream's start, so tags accepted before any aggregator ran count too. */
  private async ensureGroup(): Promise<void> {
    await this.redis.run('create group', async (redis) => {
      try {
        await redis.xgroup('CREATE', RTB_KEYS.stream, RTB_KEYS.group, '0', 'MKSTREAM');
      } catch (error) {
        if (!isReplyError(error, 'BUSYGROUP')) throw error;
      }
    });
  }

  /** Tags this consumer was given before a restart and never acknowledged. */
  private async drainOwnPending(): Promise<void> {
    for (;;) {
      const tags = await this.read('0', undefined);
      if (tags.length === 0) return;
      await this.apply(tags);
    }
  }

  private async claimAbandoned(): Promise<void> {
    let cursor = '0-0';
    do {
      const [next, entries] = (await this.redis.run('claim tags', (redis) =>
        redis.xautoclaim(
          RTB_KEYS.stream,
          RTB_KEYS.group,
          this.consumer,
          this.options.claimIdleMs,
          cursor,
          'COUNT',
          this.options.batchSize,
        ),
      )) as [string, [string, string[] | null][]];
      const tags = await this.readable(entries);
      if (tags.length > 0) {
        this.metrics.claimed.inc(tags.length);
        this.logger.info('took over unacknowledged tags', { consumer: this.consumer, count: tags.length });
        await this.apply(tags);
      }
      cursor = next;
    } while (cursor !== '0-0' && this.running);
  }

  private async read(from: '>' | '0', blockMs: number | undefined): Promise<StreamedTag[]> {
    const reply = (await this.redis.run('read tags', (redis) =>
      blockMs === undefined
        ? redis.xreadgroup(
            'GROUP',
            RTB_KEYS.group,
            this.consumer,
            'COUNT',
            this.options.batchSize,
            'STREAMS',
            RTB_KEYS.stream,
            from,
          )
        : redis.xreadgroup(
            'GROUP',
            RTB_KEYS.group,
            this.consumer,
            'COUNT',
            this.options.batchSize,
            'BLOCK',
            blockMs,
            'STREAMS',
            RTB_KEYS.stream,
            from,
          ),
    )) as StreamReply;
    return this.readable(reply?.[0]?.[1] ?? []);
  }

  /**
   * Parses entries; one whose data is gone (trimmed while still pending, which the housekeeper's
   * trimming rule prevents) can never be applied, so it is acknowledged and reported instead of
   * blocking this consumer's pending list forever.
   */
  private async readable(entries: [string, string[] | null][]): Promise<StreamedTag[]> {
    const tags: StreamedTag[] = [];
    const vanished: string[] = [];
    for (const [id, fields] of entries) {
      const tag = parseStreamEntry(id, fields);
      if (tag === undefined) vanished.push(id);
      else tags.push(tag);
    }
    if (vanished.length > 0) {
      this.logger.error('pending tags vanished from the stream', { consumer: this.consumer, ids: vanished });
      await this.redis.run('acknowledge vanished', (redis) =>
        redis.xack(RTB_KEYS.stream, RTB_KEYS.group, ...vanished),
      );
    }
    return tags;
  }

  private async apply(tags: StreamedTag[]): Promise<void> {
    if (tags.length === 0) return;
    const outcome = await this.buckets.apply(tags);
    this.metrics.applied.inc(outcome.applied);
    this.metrics.duplicates.inc(outcome.duplicates);
    this.metrics.expired.inc(outcome.expired);
  }
}
