/**
 * Reference, no target: the floor under any framework. A bare node:http server writing the same
 * pre-serialised bytes to every request, as cache-api's pre-router path for L1 hits does. It
 * shows how much of cache-api's lead over the Express baselines is skipping Express, and how
 * much its own per-hit work (lookup, cache headers, ETag, request histogram) still costs.
 * Env: PORT, BODY (the exact response body).
 */
import { createServer } from 'node:http';

const body = Buffer.from(process.env['BODY'] ?? '{}');
const server = createServer((_req, res) => {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', body.length);
  res.end(body);
}).listen(Number(process.env['PORT']));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
