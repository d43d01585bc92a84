/**
 * Baseline (b): seed 003's pattern. An Express 5 app that answers `/data/:id` with one Redis GET
 * per request (cache-aside: on a miss, load from the slow source and SET with a TTL), the way a
 * service without a pod-local cache serves a hit. Env: PORT, REDIS_URL, SOURCE_LATENCY_MS.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import Redis from 'ioredis';

const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', { disableClientInfo: true });
const latencyMs = Number(process.env['SOURCE_LATENCY_MS'] ?? 50);
const app = express();
app.get('/data/:id', async (req, res) => {
  const key = `bench:data:${req.params.id}`;
  let body = await redis.get(key);
  res.setHeader('X-Cache-Status', body === null ? 'MISS' : 'HIT');
  if (body === null) {
    await sleep(latencyMs);
    body = JSON.stringify({ guid: req.params.id, date_created: new Date().toISOString() });
    await redis.set(key, body, 'EX', 300);
  }
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.send(body);
});
const server = app.listen(Number(process.env['PORT']));
process.once('SIGTERM', () => server.close(() => redis.quit().finally(() => process.exit(0))));
