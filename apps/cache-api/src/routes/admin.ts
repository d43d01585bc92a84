import type { IRouter } from 'express';
import { parseCacheKey, parseCachePattern } from '../cache-keys';
import type { ApiContext } from '../context';
import { BadRequestError } from '../errors';
import { adminAuth } from '../http/admin-auth';
import { jsonBody } from '../http/json-body';
import { allowOnly } from '../http/method-guard';
import { Fields } from '../validation';

/**
 * Seed 003's statistics and manual invalidation. `GET /stats` is open; `POST /cache/invalidate`
 * and `POST /stats/reset` are admin endpoints, guarded by `ADMIN_TOKEN` when it is set.
 */
export function adminRoutes(router: IRouter, { cache, stats, config }: ApiContext): void {
  const admin = adminAuth(config.adminToken);

  router
    .route('/cache/invalidate')
    .post(admin, jsonBody, async (req, res) => {
      const body = Fields.of(req.body);
      if (body.has('key') === body.has('pattern')) {
        throw new BadRequestError(
          'INVALID_BODY',
          'send exactly one of {"key": "item:1"} or {"pattern": "item:*"}',
        );
      }
      if (body.has('key')) {
        const key = parseCacheKey(body.value('key'));
        body.done();
        const { propagated } = await cache.delete(key);
        res.json({ invalidated: { key }, propagated });
        return;
      }
      const pattern = parseCachePattern(body.value('pattern'));
      body.done();
      const { propagated, removed } = await cache.deleteByPattern(pattern);
      res.json({ invalidated: { pattern }, removedHere: removed, propagated });
    })
    .all(allowOnly('POST'));

  router
    .route('/stats')
    .get((_req, res) => {
      res.json(stats.read());
    })
    .all(allowOnly('GET'));

  router
    .route('/stats/reset')
    .post(admin, (_req, res) => {
      res.json(stats.reset());
    })
    .all(allowOnly('POST'));
}
