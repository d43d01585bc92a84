import { Registry } from 'prom-client';
import { RedisServer } from '@clustache/testing';
import {
  createCache,
  silentLogger,
  type CacheOptions,
  type CoherentCache,
  type RedisConfig,
} from '../../src';

/**
 * Builds caches on a real Redis (one server, a Sentinel's master or a cluster), as replicas of
 * one service would be, each with its own metrics registry; `cleanup()` closes them all and
 * stops the Redis the suite owns through `stopRedis`.
 */
export class CacheReplicas {
  private readonly caches: CoherentCache<unknown>[] = [];
  private counter = 0;

  constructor(
    private readonly redisConfig: RedisConfig,
    private readonly stopRedis: () => Promise<void> = async () => undefined,
  ) {}

  /** One replica of cache `name`, ready (subscribed) unless `ready: false`. */
  async replica<V = unknown>(
    overrides: Partial<CacheOptions> = {},
    { ready = true }: { ready?: boolean } = {},
  ): Promise<CoherentCache<V> & { registry: Registry }> {
    const registry = new Registry();
    const cache = createCache<V>({
      name: 'test',
      redis: this.redisConfig,
      replicaId: `replica-${++this.counter}`,
      registry,
      logger: silentLogger,
      bus: { heartbeatMs: 200, ...overrides.bus },
      ...overrides,
    });
    this.caches.push(cache as CoherentCache<unknown>);
    if (ready) await cache.ready();
    return Object.assign(cache, { registry });
  }

  /** `count` ready replicas of the same cache. */
  async many<V = unknown>(count: number, overrides: Partial<CacheOptions> = {}) {
    return Promise.all(Array.from({ length: count }, () => this.replica<V>(overrides)));
  }

  /** Closes every cache built so far (the Redis keeps running). */
  async closeAll(): Promise<void> {
    await Promise.all(this.caches.splice(0).map((cache) => cache.close()));
  }

  async cleanup(): Promise<void> {
    await this.closeAll();
    await this.stopRedis();
  }
}

/** Replicas on one redis-server the suite owns. */
export class Replicas extends CacheReplicas {
  private constructor(readonly redis: RedisServer) {
    super(redis.url, () => redis.kill());
  }

  static async start(): Promise<Replicas> {
    return new Replicas(await RedisServer.start());
  }
}

/** A loader that counts its calls, answering `value(key)` after `delayMs`. */
export function countingLoader<V>(value: (key: string) => V, delayMs = 0) {
  const calls: string[] = [];
  const load = async (key: string): Promise<V> => {
    calls.push(key);
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    return value(key);
  };
  return Object.assign(load, { calls });
}
