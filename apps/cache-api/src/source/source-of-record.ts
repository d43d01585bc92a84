import { setTimeout as sleep } from 'node:timers/promises';
import type Redis from 'ioredis';
import { RedisConnection, type Logger } from '@clustache/service';

/** Where the source of record keeps its keys: apart from the cache's own `clustache:*` keys. */
export const SOURCE_PREFIX = 'source:';

/**
 * The shared source of record (items, `/data` creation dates, sessions) kept in Redis behind a
 * simulated latency, standing in for the slow database a real service would cache.
 *
 * Every call goes through `run`, the one place that adds the latency. The connection is a
 * request-role RedisConnection: while Redis is down calls fail fast with a 503
 * `REDIS_UNAVAILABLE` instead of piling up; an error Redis itself replied with is a bug and
 * stays a 500.
 */
export class SourceOfRecord {
  constructor(
    readonly redis: RedisConnection,
    private readonly latencyMs: number,
  ) {}

  static connect(url: string, latencyMs: number, logger: Logger): SourceOfRecord {
    return new SourceOfRecord(RedisConnection.connect(url, 'request', logger, 'source'), latencyMs);
  }

  get isReady(): boolean {
    return this.redis.isReady;
  }

  /** Runs one source call (a command, a pipeline or a script) taking at least the configured latency. */
  async run<T>(operation: string, call: (redis: Redis) => Promise<T>): Promise<T> {
    const latency = this.latencyMs > 0 ? sleep(this.latencyMs) : undefined;
    const result = await this.redis.run(operation, call);
    await latency;
    return result;
  }

  async close(): Promise<void> {
    await this.redis.close();
  }
}
