import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request } from 'express';
import { Histogram, type Registry } from 'prom-client';

/** Route label of requests no route matched: the raw path would let clients create unbounded series. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * `http_request_duration_seconds`, the histogram dashboards read request latency from,
 * labelled by method, route template (`/items/:id`, never the raw path) and status code.
 * Label children are cached per combination so a request costs one map lookup and one observe.
 */
export class RequestMetrics {
  private readonly histogram: Histogram<'method' | 'route' | 'status_code'>;
  private readonly children = new Map<string, { observe(value: number): void }>();

  constructor(registry: Registry) {
    this.histogram = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from receiving a request to finishing its response.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }

  /**
   * Times one request until its response is finished, labelled with `route` when the caller knows
   * it up front (requests answered before Express), else with the Express route that matched. The
   * start time lives in the listener's closure: adding a property to the response object would
   * change its shape and slow every later property access Node and Express make on it.
   */
  track(req: IncomingMessage, res: ServerResponse, route?: string): void {
    const started = performance.now();
    res.on('finish', () =>
      this.observe(
        req.method!,
        route ?? routeOf(req as Request),
        res.statusCode,
        (performance.now() - started) / 1000,
      ),
    );
  }

  private observe(method: string, route: string, status: number, seconds: number): void {
    const id = `${method} ${status} ${route}`;
    let child = this.children.get(id);
    if (child === undefined) {
      child = this.histogram.labels({ method, route, status_code: String(status) });
      this.children.set(id, child);
    }
    child.observe(seconds);
  }
}

function routeOf(req: Request): string {
  const path: unknown = req.route?.path;
  return typeof path === 'string' ? req.baseUrl + path : UNMATCHED_ROUTE;
}
