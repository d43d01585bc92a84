import { freePort, RedisServer, waitFor } from '@clustache/testing';
import { createApp } from '../src/app';
import { serveInstance as serve } from '@clustache/service';
import { ApiCluster } from './support/api-cluster';
import { del, get, post, put, type Reply } from './support/http';

/**
 * With Redis gone, replicas stay ready (`"redis": "unavailable"`), what L1 holds is still served,
 * what truly needs Redis answers 503 REDIS_UNAVAILABLE, and nothing crashes.
 */
describe('a Redis outage', () => {
  let cluster: ApiCluster;
  let a: string;
  let b: string;

  beforeAll(async () => {
    cluster = await ApiCluster.start(2);
    a = cluster.url(0);
    b = cluster.url(1);
  });
  afterAll(() => cluster.stop());

  it('keeps serving L1, answers 503 REDIS_UNAVAILABLE for the rest, and recovers when Redis is back', async () => {
    const warm = await get(`${a}/data/warm`);
    await post(`${a}/items`, { id: 'kept', name: 'Kept', price: 1 });
    const { token } = (await post(`${a}/sessions`, { userId: 'u' })).body;
    await get(`${a}/sessions/${token}`);
    await waitFor(async () => (await get(`${b}/stats`)).body.keys === 3, {
      description: 'replica 2 to hold all three fills',
    });

    await cluster.redis.kill();
    for (const url of [a, b]) {
      await waitFor(async () => (await get(`${url}/stats`)).body.busConnected === false, {
        description: `${url} to notice the outage`,
      });
      expect((await get(`${url}/health`)).status).toBe(200);
      // Still ready: a shared dependency's outage must not take every replica out of the Service.
      const ready = await get(`${url}/ready`);
      expect([ready.status, ready.body.status, ready.body.redis]).toEqual([200, 'ready', 'unavailable']);

      const data = await get(`${url}/data/warm`);
      expect([data.status, data.headers.get('x-cache-status'), data.text]).toEqual([200, 'HIT', warm.text]);
      expect((await get(`${url}/items/kept`)).status).toBe(200);
      expect((await get(`${url}/sessions/${token}`)).status).toBe(200);
    }

    const needsRedis: [string, () => Promise<Reply>][] = [
      ['a cold /data read', () => get(`${a}/data/cold`)],
      ['a cold item read', () => get(`${a}/items/cold`)],
      ['a batch with misses', () => post(`${a}/items/batch`, { ids: ['kept', 'cold'] })],
      ['a create', () => post(`${a}/items`, { id: 'new', name: 'New', price: 1 })],
      ['an update', () => put(`${b}/items/kept`, { price: 2 })],
      ['a delete', () => del(`${b}/items/kept`)],
      ['a login', () => post(`${a}/sessions`, { userId: 'u' })],
      ['a logout', () => del(`${b}/sessions/${token}`)],
    ];
    for (const [name, call] of needsRedis) {
      const reply = await call();
      expect({ name, status: reply.status, code: reply.body?.error?.code }).toEqual({
        name,
        status: 503,
        code: 'REDIS_UNAVAILABLE',
      });
    }
    // The item was not changed, so every replica still serves the old value.
    expect((await get(`${b}/items/kept`)).body.price).toBe(1);
    // Invalidating still works here; peers cannot hear it, and will drop their L1 when they resubscribe.
    expect((await post(`${a}/cache/invalidate`, { key: 'item:kept' })).body.propagated).toBe(false);

    await cluster.redis.restart();
    for (const url of [a, b]) {
      await waitFor(async () => (await get(`${url}/ready`)).body.redis === 'connected', {
        timeoutMs: 10_000,
        description: `${url} to be connected again`,
      });
    }
    const cold = await get(`${a}/data/cold`);
    expect([cold.status, cold.headers.get('x-cache-status')]).toEqual([200, 'MISS']);
    expect((await post(`${a}/items`, { id: 'after', name: 'After', price: 1 })).status).toBe(201);
    await waitFor(
      async () => (await get(`${b}/items/after`)).headers.get('x-cache-source') === 'subscription',
    );
  });
});

describe('starting before Redis', () => {
  it('is alive but unready until Redis first answers, then stays ready through an outage until shutdown', async () => {
    const port = await freePort();
    const api = createApp({
      port: 0,
      redisUrl: `redis://127.0.0.1:${port}`,
      instanceId: 'early',
      sourceLatencyMs: 0,
      cacheTtlSeconds: 300,
      adminToken: undefined,
      sessionTtlSeconds: 1800,
    });
    const server = await serve(api, 0);
    let redis: RedisServer | undefined;
    try {
      expect((await get(`${server.url}/health`)).status).toBe(200);
      const ready = await get(`${server.url}/ready`);
      expect([ready.status, ready.body.error.code]).toEqual([503, 'NOT_READY']);
      const data = await get(`${server.url}/data/x`);
      expect([data.status, data.body.error.code]).toEqual([503, 'REDIS_UNAVAILABLE']);

      redis = await RedisServer.start({ port });
      await waitFor(async () => (await get(`${server.url}/ready`)).status === 200, {
        timeoutMs: 10_000,
        description: 'readiness',
      });
      expect((await get(`${server.url}/ready`)).body).toEqual({
        status: 'ready',
        redis: 'connected',
        instanceId: 'early',
      });
      expect((await get(`${server.url}/data/x`)).status).toBe(200);

      await redis.kill();
      await waitFor(async () => (await get(`${server.url}/ready`)).body.redis === 'unavailable', {
        description: 'the outage to show in /ready',
      });
      expect((await get(`${server.url}/ready`)).status).toBe(200);
      const cold = await get(`${server.url}/data/y`);
      expect([cold.status, cold.body.error.code]).toEqual([503, 'REDIS_UNAVAILABLE']);

      api.beginShutdown(); // what SIGTERM does first
      const leaving = await get(`${server.url}/ready`);
      expect([leaving.status, leaving.body.error.code]).toEqual([503, 'SHUTTING_DOWN']);
    } finally {
      await server.shutdown(1000);
      await redis?.kill();
    }
  });
});
