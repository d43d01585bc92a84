import type { IRouter } from 'express';
import type { ApiContext } from '../context';
import { NotReadyError } from '../errors';
import { allowOnly } from '../http/method-guard';

/**
 * Kubernetes probes and the Prometheus scrape. `/health` only says the process answers. `/ready`
 * follows the shared readiness policy (see `Readiness`): 503 `NOT_READY` until Redis first
 * answers and the bus is subscribed, 503 `SHUTTING_DOWN` once shutdown began, and 200 in between,
 * Redis outages included (`"redis": "unavailable"`): Redis is shared, so failing readiness on its
 * outage would take every replica out of the Service at once; the replica degrades instead.
 */
export function probeRoutes(router: IRouter, { registry, config, readiness }: ApiContext): void {
  router
    .route('/health')
    .get((_req, res) => {
      res.json({ status: 'ok', instanceId: config.instanceId });
    })
    .all(allowOnly('GET'));

  router
    .route('/ready')
    .get((_req, res) => {
      const answer = readiness.answer();
      if (!answer.ready) throw new NotReadyError(answer.code, answer.message);
      res.json({ ...answer.body, instanceId: config.instanceId });
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
