import type { RedisConnection } from '@clustache/service';
import type { BucketStore } from '../store/bucket-store';
import { RTB_KEYS } from '../store/keys';
import type { AggregatorMetrics } from './metrics';

/** A consumer that has held nothing for this long is gone for good (a pod name that will not return). */
const FORGET_CONSUMER_AFTER_MS = 60 * 60_000;

/**
 * Keeps Redis's memory flat over days: trims the stream below the oldest tag the group still
 * needs (nothing pending, nothing undelivered is ever trimmed), drops buckets older than the
 * retention window, forgets consumers that left long ago, and sets the lag and backlog gauges.
 * Every aggregator runs it; all of it is idempotent.
 */
export class StreamHousekeeper {
  constructor(
    private readonly redis: RedisConnection,
    private readonly buckets: BucketStore,
    private readonly metrics: AggregatorMetrics,
    private readonly consumer: string,
  ) {}

  async run(): Promise<void> {
    await this.buckets.trim();
    const group = await this.groupState();
    if (group === undefined) return;
    const oldestNeeded = group.oldestPending ?? group.lastDelivered;
    if (oldestNeeded !== '0-0')
      await this.redis.run('trim stream', (redis) =>
        redis.xtrim(RTB_KEYS.stream, 'MINID', '~', oldestNeeded),
      );
    const firstUndelivered = await this.firstAfter(group.lastDelivered);
    const oldest = [group.oldestPending, firstUndelivered].flatMap((id) =>
      id === undefined ? [] : [idTime(id)],
    );
    this.metrics.lagSeconds.set(
      oldest.length === 0 ? 0 : Math.max(0, Date.now() - Math.min(...oldest)) / 1000,
    );
    this.metrics.backlog.set(group.pending + group.undelivered);
    await this.forgetIdleConsumers();
  }

  private async groupState(): Promise<
    | { lastDelivered: string; pending: number; undelivered: number; oldestPending: string | undefined }
    | undefined
  > {
    const [groups, summary] = await this.redis.run('read group', (redis) =>
      Promise.all([
        redis.xinfo('GROUPS', RTB_KEYS.stream) as Promise<unknown[][]>,
        redis.xpending(RTB_KEYS.stream, RTB_KEYS.group) as Promise<
          [number, string | null, string | null, unknown]
        >,
      ]),
    );
    const group = groups.map(fieldsOf).find((fields) => fields['name'] === RTB_KEYS.group);
    if (group === undefined) return undefined;
    return {
      lastDelivered: String(group['last-delivered-id']),
      pending: Number(group['pending']),
      // `lag` is null when Redis cannot tell (after some deletions); the gauge then counts only the pending.
      undelivered: Number(group['lag'] ?? 0),
      oldestPending: summary[1] ?? undefined,
    };
  }

  private async firstAfter(id: string): Promise<string | undefined> {
    const [entry] = await this.redis.run('peek stream', (redis) =>
      redis.xrange(RTB_KEYS.stream, `(${id}`, '+', 'COUNT', 1),
    );
    return entry?.[0];
  }

  private async forgetIdleConsumers(): Promise<void> {
    const consumers = (
      (await this.redis.run('read consumers', (redis) =>
        redis.xinfo('CONSUMERS', RTB_KEYS.stream, RTB_KEYS.group),
      )) as unknown[][]
    ).map(fieldsOf);
    for (const consumer of consumers) {
      const name = String(consumer['name']);
      if (name === this.consumer || Number(consumer['pending']) > 0) continue;
      if (Number(consumer['idle']) < FORGET_CONSUMER_AFTER_MS) continue;
      await this.redis.run('forget consumer', (redis) =>
        redis.xgroup('DELCONSUMER', RTB_KEYS.stream, RTB_KEYS.group, name),
      );
    }
  }
}

/** A stream id's time part: when XADD accepted the tag. */
function idTime(id: string): number {
  return Number(id.slice(0, id.indexOf('-')));
}

/** XINFO replies are flat [field, value, ...] lists. */
function fieldsOf(reply: unknown[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (let i = 0; i + 1 < reply.length; i += 2) fields[String(reply[i])] = reply[i + 1];
  return fields;
}
