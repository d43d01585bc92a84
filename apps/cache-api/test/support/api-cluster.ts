import { RedisServer } from '@clustache/testing';
import { createApp, type CacheApi } from '../../src/app';
import type { ApiConfig } from '../../src/config';
import { serveInstance as serve, type RunningServer } from '@clustache/service';

/** One in-process API instance listening on a free port. */
export interface Replica {
  readonly api: CacheApi;
  readonly server: RunningServer;
  readonly url: string;
}

/**
 * N API instances in this process, each with its own engine cache, source connection and
 * metrics registry, all on one real `redis-server` started for the test: the smallest real
 * deployment. `stop()` closes every instance and kills Redis.
 */
export class ApiCluster {
  private constructor(
    readonly redis: RedisServer,
    readonly replicas: Replica[],
  ) {}

  static async start(count = 2, overrides: Partial<ApiConfig> = {}): Promise<ApiCluster> {
    const redis = await RedisServer.start();
    const cluster = new ApiCluster(redis, []);
    try {
      for (let i = 0; i < count; i++) await cluster.add({ instanceId: `api-${i + 1}`, ...overrides });
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /** Starts one more instance on the same Redis and waits until it is ready. */
  async add(overrides: Partial<ApiConfig> = {}): Promise<Replica> {
    const config: ApiConfig = {
      port: 0,
      redisUrl: this.redis.url,
      instanceId: `api-${this.replicas.length + 1}`,
      sourceLatencyMs: 20,
      cacheTtlSeconds: 300,
      adminToken: undefined,
      sessionTtlSeconds: 1800,
      ...overrides,
    };
    const api = createApp(config);
    const server = await serve(api, 0);
    const replica = { api, server, url: server.url };
    this.replicas.push(replica);
    await api.ready();
    return replica;
  }

  url(index: number): string {
    return this.replicas[index]!.url;
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.replicas.map((replica) => replica.server.shutdown(1000)));
    await this.redis.kill();
  }
}
