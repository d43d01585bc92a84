import { RedisUnavailableError } from '../errors';
import type { Logger } from '../logger';
import type { RedisClient } from './connections';

/** Every operation the gateway runs: the `operation` label of `clustache_cache_redis_errors_total`. */
export const REDIS_OPERATIONS = [
  'publish',
  'l2.mget',
  'l2.set',
  'l2.scan',
  'lease.acquire',
  'lease.release',
  'log.append',
  'log.read',
  'clock.sync',
] as const;

export type RedisOperation = (typeof REDIS_OPERATIONS)[number];

/**
 * The one place every Redis command of the engine goes through. A failure is logged once,
 * counted by operation, and turned into a `RedisUnavailableError`; `runOr` is the degrade path
 * used wherever an L1 or the source can answer instead, so a Redis outage never fails a read.
 * Connections are created with the offline queue off, so commands fail fast while Redis is gone.
 * The connection is one server's or a cluster client's (see `openConnections`); on a cluster, one
 * pipeline must stay within one slot, which the cache's hash-tagged keys guarantee.
 */
export class RedisGateway {
  constructor(
    private readonly redis: RedisClient,
    private readonly logger: Logger,
    private readonly onError: (operation: RedisOperation) => void,
  ) {}

  /** True while the command connection is up: commands are sent, not refused. */
  get isReady(): boolean {
    return this.redis.status === 'ready';
  }

  /** Calls `listener` each time the command connection becomes ready; returns what stops it. */
  onReady(listener: () => void): () => void {
    this.redis.on('ready', listener);
    return () => this.redis.off('ready', listener);
  }

  /** Resolves once the command connection is ready, or after `waitMs` (commands then fail fast). */
  async whenReady(waitMs: number): Promise<void> {
    if (this.isReady) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        stop();
        resolve();
      };
      const timer = setTimeout(done, waitMs);
      const stop = this.onReady(done);
    });
  }

  /**
   * Defines Lua scripts as commands of the connection (EVALSHA, loaded again after a restart),
   * each once; `run` calls them by name.
   */
  defineScripts(scripts: Record<string, { numberOfKeys: number; lua: string }>): void {
    for (const [name, script] of Object.entries(scripts)) {
      if (!(name in this.redis)) this.redis.defineCommand(name, script);
    }
  }

  /** Closes the command connection: QUIT, or drop it when Redis does not answer. */
  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  async run<T>(operation: RedisOperation, command: (redis: RedisClient) => Promise<T>): Promise<T> {
    try {
      return await command(this.redis);
    } catch (error) {
      this.onError(operation);
      this.logger.warn('redis command failed', { operation, err: error });
      throw new RedisUnavailableError(operation, error);
    }
  }

  /** Like `run`, but answers `fallback` when Redis fails. */
  async runOr<T, F>(
    operation: RedisOperation,
    command: (redis: RedisClient) => Promise<T>,
    fallback: F,
  ): Promise<T | F> {
    try {
      return await this.run(operation, command);
    } catch {
      return fallback;
    }
  }

  /** Runs a pipeline built by `build` in one round trip; any failed command fails the whole call. */
  pipeline(
    operation: RedisOperation,
    build: (pipeline: ReturnType<RedisClient['pipeline']>) => void,
  ): Promise<unknown[]> {
    return this.run(operation, async (redis) => {
      const pipeline = redis.pipeline();
      build(pipeline);
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([error]) => error !== null);
      if (failed) throw failed[0];
      return results.map(([, value]) => value);
    });
  }
}
