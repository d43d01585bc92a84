import { waitFor } from '@clustache/testing';
import { ApiCluster } from './support/api-cluster';
import { del, get, post } from './support/http';

/** Seed 002: login sessions, cached on every replica, gone everywhere on logout or expiry. */
describe('/sessions across replicas', () => {
  let cluster: ApiCluster;
  let a: string;
  let b: string;

  beforeAll(async () => {
    cluster = await ApiCluster.start(2);
    a = cluster.url(0);
    b = cluster.url(1);
  });
  afterAll(() => cluster.stop());

  it('creates a session on one replica that the other accepts', async () => {
    const created = await post(`${a}/sessions`, { userId: 'u-42' });
    expect(created.status).toBe(201);
    const { token, userId, expiresAt } = created.body;
    expect(userId).toBe('u-42');
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(1790_000);
    expect(created.headers.get('location')).toBe(`/sessions/${token}`);

    const onB = await get(`${b}/sessions/${token}`);
    expect(onB.status).toBe(200);
    expect(onB.body).toEqual(created.body);
    expect(onB.headers.get('x-cache-status')).toBe('MISS');
    const onA = (await waitFor(async () => {
      const reply = await get(`${a}/sessions/${token}`);
      return reply.headers.get('x-cache-source') === 'subscription' ? reply : undefined;
    }))!;
    expect(onA.body).toEqual(created.body);
  });

  it('logs out on one replica and no replica accepts the token afterwards', async () => {
    const { token } = (await post(`${a}/sessions`, { userId: 'leaving' })).body;
    expect((await get(`${a}/sessions/${token}`)).status).toBe(200);
    await waitFor(async () => (await get(`${b}/sessions/${token}`)).headers.get('x-cache-status') === 'HIT');

    expect((await del(`${b}/sessions/${token}`)).status).toBe(204);
    expect((await get(`${b}/sessions/${token}`)).status).toBe(404);
    await waitFor(async () => (await get(`${a}/sessions/${token}`)).status === 404, {
      description: 'the logout to reach replica 1',
    });
    const redis = cluster.redis.client();
    expect(await redis.exists(`source:session:${token}`)).toBe(0);
    await redis.quit();
    expect((await del(`${a}/sessions/${token}`)).status).toBe(404);
  });

  it('answers 404 for a token that was never issued, in any shape', async () => {
    for (const token of ['nope', `${'A'.repeat(32)}.zzzzzzzz`, `${'A'.repeat(32)}.1`]) {
      const reply = await get(`${a}/sessions/${encodeURIComponent(token)}`);
      expect([reply.status, reply.body.error.code]).toEqual([404, 'SESSION_NOT_FOUND']);
    }
  });

  it('lets sessions expire on their own, on every replica, however long the cache TTL', async () => {
    const shortLived = await ApiCluster.start(2, { sessionTtlSeconds: 1, cacheTtlSeconds: 300 });
    try {
      const [x, y] = [shortLived.url(0), shortLived.url(1)];
      const { token } = (await post(`${x}/sessions`, { userId: 'brief' })).body;
      expect((await get(`${x}/sessions/${token}`)).status).toBe(200);
      await waitFor(
        async () => (await get(`${y}/sessions/${token}`)).headers.get('x-cache-status') === 'HIT',
      );
      for (const url of [x, y]) {
        await waitFor(async () => (await get(`${url}/sessions/${token}`)).status === 404, {
          timeoutMs: 15_000,
          description: 'expiry',
        });
      }
      const redis = shortLived.redis.client();
      await waitFor(async () => (await redis.exists(`source:session:${token}`)) === 0, {
        description: 'Redis to expire the key',
      });
      await redis.quit();
    } finally {
      await shortLived.stop();
    }
  });
});
