import { setTimeout as sleep } from 'node:timers/promises';
import Redis, { ReplyError } from 'ioredis';
import type { Logger } from '@clustache/cache';
import { RedisUnavailableApiError } from '../errors';
import { redisOptions } from './redis-options';

/** Where the source of record keeps its keys: apart from the cache's own `clustache:*` keys. */
export const SOURCE_PREFIX = 'source:';

/**
 * The shared source of record (items, `/data` creation dates, sessions) kept in Redis behind a
 * simulated latency, standing in for the slow database a real service would cache.
 *
 * Every call goes through `run`, the one place that adds the latency and turns a connection
 * failure into a 503 `REDIS_UNAVAILABLE`. The connection has no offline queue and one retry, so
 * while Redis is down requests fail fast instead of piling up; an error Redis itself replied
 * with is a bug and stays a 500.
 */
export class SourceOfRecord {
  constructor(
    readonly redis: Redis,
    private readonly latencyMs: number,
  ) {}

  static connect(url: string, latencyMs: number, logger: Logger): SourceOfRecord {
    const redis = new Redis({
      ...redisOptions(url),
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: 2000,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2000),
    });
    redis.on('error', (error: unknown) => logger.debug('source redis connection error', { err: error }));
    return new SourceOfRecord(redis, latencyMs);
  }

  get isReady(): boolean {
    return this.redis.status === 'ready';
  }

  /** Runs one source call (a command, a pipeline or a script) taking at least the configured latency. */
  async run<T>(operation: string, call: (redis: Redis) => Promise<T>): Promise<T> {
    const latency = this.latencyMs > 0 ? sleep(this.latencyMs) : undefined;
    let result: T;
    try {
      result = await call(this.redis);
    } catch (error) {
      if (error instanceof ReplyError) throw error;
      throw new RedisUnavailableApiError(operation, { cause: error });
    }
    await latency;
    return result;
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
