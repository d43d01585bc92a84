/**
 * Baseline (a): the framework's floor. A bare Express 5 app, default settings, whose one route
 * writes the same pre-serialised bytes our `/data/:id` answers. No cache, no Redis, no metrics.
 * Env: PORT, BODY (the exact response body).
 */
import express from 'express';

const body = process.env['BODY'] ?? '{}';
const app = express();
app.get('/data/:id', (_req, res) => {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.send(body);
});
const server = app.listen(Number(process.env['PORT']));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
