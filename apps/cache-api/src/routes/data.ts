import type { IRouter } from 'express';
import { dataKey } from '../cache-keys';
import type { ApiContext } from '../context';
import { setCacheHeaders } from '../http/cache-headers';
import { sendCachedJson } from '../http/json-response';
import { allowOnly } from '../http/method-guard';
import type { DataRecord } from '../source/data-backend';
import { parseId } from '../validation';

/** The data route's template, also its `route` label in the request histogram. */
export const DATA_ROUTE = '/data/:id';

/**
 * Seed 001: `GET /data/:id`. The first request for an id on any replica loads it from the slow
 * backend once; the fill is published, so every other replica answers the same body from memory.
 * Plain requests are answered before Express by `DataFastPath`; this route takes the rest
 * (conditional requests, ids that need decoding or are invalid, other methods).
 */
export function dataRoutes(router: IRouter, { cache, data }: ApiContext): void {
  router
    .route(DATA_ROUTE)
    .get(async (req, res) => {
      const id = parseId(req.params['id']);
      const { value, from } = await cache.lookup(dataKey(id), () => data.load(id));
      setCacheHeaders(res, from);
      sendCachedJson(res, value as DataRecord);
    })
    .all(allowOnly('GET'));
}
