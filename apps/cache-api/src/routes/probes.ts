import type { IRouter } from 'express';
import type { ApiContext } from '../context';
import { NotReadyError } from '../errors';
import { allowOnly } from '../http/method-guard';

/**
 * Kubernetes probes and the Prometheus scrape. `/health` only says the process answers;
 * `/ready` is 503 until Redis answers and the bus is subscribed, and again once shutdown began,
 * so the load balancer sends traffic only to replicas that take part in coherence.
 */
export function probeRoutes(
  router: IRouter,
  { cache, source, registry, config, shuttingDown }: ApiContext,
): void {
  router
    .route('/health')
    .get((_req, res) => {
      res.json({ status: 'ok', instanceId: config.instanceId });
    })
    .all(allowOnly('GET'));

  router
    .route('/ready')
    .get((_req, res) => {
      if (shuttingDown()) throw new NotReadyError('SHUTTING_DOWN', 'this instance is shutting down');
      if (!source.isReady || !cache.isReady) {
        throw new NotReadyError(
          'NOT_READY',
          'not connected to Redis yet (or the cache bus is not subscribed)',
        );
      }
      res.json({ status: 'ready', instanceId: config.instanceId });
    })
    .all(allowOnly('GET'));

  router
    .route('/metrics')
    .get(async (_req, res) => {
      const body = await registry.metrics();
      res.setHeader('Content-Type', registry.contentType);
      res.send(body);
    })
    .all(allowOnly('GET'));
}
