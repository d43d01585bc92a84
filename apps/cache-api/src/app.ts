import type { RequestListener } from 'node:http';
import express, { type Express } from 'express';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createCache, type CoherentCache } from '@clustache/cache';
import {
  errorHandler,
  notFound,
  Readiness,
  redisOptions,
  RequestMetrics,
  silentLogger,
  type Logger,
  type ServiceInstance,
} from '@clustache/service';
import type { ApiConfig } from './config';
import type { ApiContext } from './context';
import { engineErrorOf } from './http/engine-errors';
import { adminRoutes } from './routes/admin';
import { dataRoutes } from './routes/data';
import { DataFastPath, type StartResponse } from './routes/data-fast-path';
import { itemRoutes } from './routes/items';
import { probeRoutes } from './routes/probes';
import { sessionRoutes } from './routes/sessions';
import { DataBackend } from './source/data-backend';
import { ItemStore } from './source/item-store';
import { SessionStore } from './source/session-store';
import { SourceOfRecord } from './source/source-of-record';
import { StatsReport } from './stats-report';

/** The engine cache's name: its `cache` metric label and its Redis channel `clustache:api:bus`. */
export const CACHE_NAME = 'api';

export interface ApiDeps {
  /** @default silent */
  logger?: Logger;
}

/** One instance of the API: the Express app and the connections behind it. */
export interface CacheApi extends ServiceInstance {
  readonly app: Express;
  /** The HTTP server's request listener: plain `GET /data/:id` answered first, the app for the rest. */
  readonly listener: RequestListener;
  readonly config: ApiConfig;
  readonly cache: CoherentCache;
  /** This instance's metrics (never the global registry, so instances in one process stay apart). */
  readonly registry: Registry;
  /** Resolves once Redis answers and the cache bus is subscribed. */
  ready(timeoutMs?: number): Promise<void>;
  /** `/ready`'s policy: 503 until the first connection and once shutdown began, 200 in between. */
  readonly readiness: Readiness;
  /** Marks the instance as leaving: `/ready` turns 503 and responses carry `Connection: close`. */
  beginShutdown(): void;
  /** Closes the cache (bus, Redis) and the source-of-record connection. */
  close(): Promise<void>;
}

/**
 * Builds one API instance on its own engine cache, source-of-record connection and metrics
 * registry. Starting it listening is the caller's job (`serve`), so tests run several instances
 * in one process and `main` adds only the environment and signals.
 */
export function createApp(config: ApiConfig, deps: ApiDeps = {}): CacheApi {
  const logger = deps.logger ?? silentLogger;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const cache = createCache({
    name: CACHE_NAME,
    redis: redisOptions(config.redisUrl),
    replicaId: config.instanceId,
    ttlMs: config.cacheTtlSeconds * 1000,
    // Our source of record lives in the same Redis as the bus: while Redis is unreachable nobody
    // can change it, so what L1 holds stays right and keeps being served (dropped on resubscribe).
    bus: { whileDisconnected: 'serve' },
    registry,
    logger,
  });
  const source = SourceOfRecord.connect(config.redisUrl, config.sourceLatencyMs, logger);
  const readiness = new Readiness(
    () => source.isReady && cache.isReady,
    'not connected to Redis yet (or the cache bus is not subscribed)',
  );
  // Start-up ends as soon as the last connection comes up, not only when a probe looks.
  const started = () => readiness.update();
  cache.on('subscribed', started);
  source.redis.onReady(started);
  const context: ApiContext = {
    config,
    cache,
    source,
    data: new DataBackend(source),
    items: new ItemStore(source),
    sessions: new SessionStore(source),
    stats: new StatsReport(config.instanceId, cache),
    registry,
    logger,
    readiness,
  };

  const app = express();
  app.disable('x-powered-by');
  const requestMetrics = new RequestMetrics(registry);
  const start: StartResponse = (req, res, route) => {
    requestMetrics.track(req, res, route);
    res.setHeader('X-Instance-Id', config.instanceId);
    if (readiness.shuttingDown) res.setHeader('Connection', 'close');
  };
  const fastPath = new DataFastPath(context, start, app);
  // One middleware for what every request needs: each layer is paid on every request.
  app.use((req, res, next) => {
    const handedOver = fastPath.failureOf(req);
    if (handedOver !== undefined) {
      next(handedOver.error);
      return;
    }
    start(req, res);
    next();
  });
  // Routes straight on the app, hottest first: no nested routers on the request path.
  for (const mount of [dataRoutes, itemRoutes, sessionRoutes, adminRoutes, probeRoutes]) mount(app, context);
  app.use(notFound);
  app.use(errorHandler(logger, engineErrorOf));

  return {
    app,
    listener: fastPath.listener,
    config,
    cache,
    registry,
    readiness,
    async ready(timeoutMs = 10_000) {
      await cache.ready(timeoutMs);
      await source.redis.whenReady();
      readiness.update();
    },
    beginShutdown() {
      readiness.beginShutdown();
    },
    async close() {
      readiness.beginShutdown();
      await Promise.all([cache.close(), source.close()]);
    },
  };
}
