import type { RequestListener } from 'node:http';
import express, { type Express } from 'express';
import { collectDefaultMetrics, Registry } from 'prom-client';
import {
  errorHandler,
  notFound,
  Readiness,
  RedisConnection,
  RequestMetrics,
  silentLogger,
  type ConnectionRole,
  type Logger,
  type ServiceInstance,
} from '@clustache/service';
import { Aggregator } from './aggregator/aggregator';
import { AggregatorMetrics } from './aggregator/metrics';
import { contractErrorOf } from './api/contract-errors';
import { contractRoutes } from './api/routes';
import { TagMetrics } from './api/tag-metrics';
import type { RtbConfig } from './config';
import { RtbError } from './errors';
import { BucketStore } from './store/bucket-store';
import { ProfileStore } from './store/profile-store';

/** One RTB process: its HTTP app, its aggregators and the connections behind them. */
export interface RtbProcess extends ServiceInstance {
  readonly app: Express;
  /** The HTTP server's request listener: the app. */
  readonly listener: RequestListener;
  readonly registry: Registry;
  readonly aggregators: readonly Aggregator[];
  /** Resolves once Redis answers. */
  ready(timeoutMs?: number): Promise<void>;
  /** `/ready`'s policy: 503 until the first connection and once shutdown began, 200 in between. */
  readonly readiness: Readiness;
  /** `/ready` turns 503 and responses carry `Connection: close`. */
  beginShutdown(): void;
  /** Stops the aggregators after their current round and closes every connection. */
  close(): Promise<void>;
}

/**
 * Builds an RTB process for its role: the contract's API (`api`), aggregators with probes and
 * metrics (`aggregator`), or both (`all`). Listening is the caller's job, so tests can run
 * several in one process; aggregators start here.
 */
export function createRtb(config: RtbConfig, logger: Logger = silentLogger): RtbProcess {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const retentionMs = config.aggregateRetentionMinutes * 60_000;
  const connections: RedisConnection[] = [];
  const connect = (role: ConnectionRole, name: string) => {
    const redis = RedisConnection.connect(config.redisUrl, role, logger, name);
    connections.push(redis);
    return redis;
  };
  const serving = config.role !== 'aggregator';
  const api = serving ? connect('request', 'api') : undefined;
  const aggregatorCount = config.role === 'api' ? 0 : config.aggregators;
  const aggregatorMetrics = aggregatorCount > 0 ? new AggregatorMetrics(registry) : undefined;
  const aggregators = Array.from({ length: aggregatorCount }, (_, i) => {
    const redis = connect('background', `aggregator-${i}`);
    return new Aggregator(redis, new BucketStore(redis, retentionMs), aggregatorMetrics!, logger, {
      consumer: `${config.instanceId}-${i}`,
      claimIdleMs: config.claimIdleMs,
    });
  });
  // Gates start-up and shutdown only: during a Redis outage the API answers 503 REDIS_UNAVAILABLE
  // itself and aggregators back off and retry, so the pod stays in the Service (see Readiness).
  const readiness = new Readiness(
    () => connections.every((redis) => redis.isReady),
    'not connected to Redis yet',
  );
  for (const redis of connections) redis.onReady(() => readiness.update());

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  const requestMetrics = new RequestMetrics(registry);
  app.use((req, res, next) => {
    requestMetrics.track(req, res);
    if (readiness.shuttingDown) res.setHeader('Connection', 'close');
    next();
  });
  if (api !== undefined) {
    contractRoutes(app, {
      profiles: new ProfileStore(api, {
        perAction: config.profileTags,
        retentionMs: config.profileRetentionSeconds * 1000,
      }),
      buckets: new BucketStore(api, retentionMs),
      metrics: new TagMetrics(registry),
      logger,
      profileTags: config.profileTags,
      debug: config.debug,
    });
  }
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', role: config.role, instanceId: config.instanceId });
  });
  app.get('/ready', (_req, res) => {
    const answer = readiness.answer();
    if (!answer.ready) throw new RtbError(503, answer.code, answer.message);
    res.json({ ...answer.body, role: config.role, instanceId: config.instanceId });
  });
  app.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', registry.contentType);
    res.send(await registry.metrics());
  });
  app.use(notFound);
  app.use(errorHandler(logger, contractErrorOf));

  for (const aggregator of aggregators) aggregator.start();
  return {
    app,
    listener: app,
    registry,
    aggregators,
    readiness,
    async ready(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (const redis of connections) {
        while (!redis.isReady) {
          if (Date.now() > deadline) throw new Error(`Redis not ready within ${timeoutMs} ms`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
      readiness.update();
    },
    beginShutdown() {
      readiness.beginShutdown();
    },
    async close() {
      readiness.beginShutdown();
      await Promise.all(aggregators.map((aggregator) => aggregator.stop()));
      await Promise.all(connections.map((redis) => redis.close()));
    },
  };
}
