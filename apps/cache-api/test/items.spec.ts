import { waitFor } from '@clustache/testing';
import { ApiCluster } from './support/api-cluster';
import { del, get, post, put, sample } from './support/http';

/** Seed 003: cache-aside items, coherent across replicas for every read and write. */
describe('/items across replicas', () => {
  let cluster: ApiCluster;
  let a: string;
  let b: string;

  beforeAll(async () => {
    cluster = await ApiCluster.start(2);
    a = cluster.url(0);
    b = cluster.url(1);
  });
  afterAll(() => cluster.stop());

  const keysOn = async (url: string) => (await get(`${url}/stats`)).body.keys as number;

  it('serves a created item on every replica, from memory, once the create has answered', async () => {
    const created = await post(`${a}/items`, {
      id: '100',
      name: 'New Product',
      price: 99.99,
      category: 'Electronics',
      stock: 10,
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/items/100');
    expect(created.body).toMatchObject({
      id: '100',
      name: 'New Product',
      price: 99.99,
      category: 'Electronics',
      stock: 10,
      revision: 1,
    });

    const own = await get(`${a}/items/100`);
    expect([own.headers.get('x-cache-status'), own.headers.get('x-cache-source')]).toEqual(['HIT', 'own']);
    const peer = (await waitFor(async () => {
      const reply = await get(`${b}/items/100`);
      return reply.headers.get('x-cache-source') === 'subscription' ? reply : undefined;
    }))!;
    expect(peer.headers.get('x-cache-status')).toBe('HIT');
    expect(peer.body).toEqual(created.body);
  });

  it('answers MISS from the source, then HIT, for an item only the source had', async () => {
    const redis = cluster.redis.client();
    await redis.hset('source:item:seeded', {
      id: 'seeded',
      name: 'Seeded',
      price: '1.5',
      category: 'x',
      stock: '3',
      revision: '1',
      updatedAt: 'then',
    });
    await redis.quit();
    const first = await get(`${b}/items/seeded`);
    expect([first.status, first.headers.get('x-cache-status'), first.headers.get('x-cache-source')]).toEqual([
      200,
      'MISS',
      'source',
    ]);
    expect(first.body).toEqual({
      id: 'seeded',
      name: 'Seeded',
      price: 1.5,
      category: 'x',
      stock: 3,
      revision: 1,
      updatedAt: 'then',
    });
    const second = await get(`${b}/items/seeded`);
    expect([second.headers.get('x-cache-status'), second.headers.get('x-cache-source')]).toEqual([
      'HIT',
      'own',
    ]);
  });

  it('shows an update made on one replica on the other as soon as it has answered', async () => {
    await post(`${a}/items`, { id: 'u1', name: 'Before', price: 1 });
    await waitFor(async () => (await get(`${b}/items/u1`)).headers.get('x-cache-status') === 'HIT');

    const updated = await put(`${b}/items/u1`, { name: 'After', price: 2 });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id: 'u1', name: 'After', price: 2, revision: 2 });
    expect((await get(`${b}/items/u1`)).body.name).toBe('After');
    await waitFor(async () => (await get(`${a}/items/u1`)).body.name === 'After', {
      description: 'the update to reach replica 1',
    });
    const onA = await get(`${a}/items/u1`);
    expect([onA.headers.get('x-cache-status'), onA.headers.get('x-cache-source')]).toEqual([
      'HIT',
      'subscription',
    ]);
  });

  it('forgets a deleted item on every replica', async () => {
    await post(`${a}/items`, { id: 'd1', name: 'Doomed', price: 1 });
    await waitFor(async () => (await get(`${b}/items/d1`)).headers.get('x-cache-status') === 'HIT');
    expect((await del(`${b}/items/d1`)).status).toBe(204);
    expect((await get(`${b}/items/d1`)).status).toBe(404);
    await waitFor(async () => (await get(`${a}/items/d1`)).status === 404, {
      description: 'the delete to reach replica 1',
    });
    expect((await del(`${a}/items/d1`)).status).toBe(404);
  });

  it("ends with the source of record's value on every replica when two replicas write at once", async () => {
    await post(`${a}/items`, { id: 'race', name: 'start', price: 0 });
    for (let round = 1; round <= 25; round++) {
      await Promise.all([
        put(`${a}/items/race`, { name: `a${round}` }),
        put(`${b}/items/race`, { name: `b${round}` }),
      ]);
      const redis = cluster.redis.client();
      const truth = await redis.hget('source:item:race', 'name');
      await redis.quit();
      for (const url of [a, b]) {
        await waitFor(async () => (await get(`${url}/items/race`)).body.name === truth, {
          description: `round ${round}: ${url} to serve the source's "${truth}"`,
        });
      }
    }
  });

  it('refuses to create an item twice', async () => {
    await post(`${a}/items`, { id: 'twice', name: 'One', price: 1 });
    const again = await post(`${b}/items`, { id: 'twice', name: 'Two', price: 2 });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ITEM_EXISTS');
  });

  it('answers a batch from memory and the source, loading all misses in one source call', async () => {
    for (const id of ['b1', 'b2', 'b3']) {
      const redis = cluster.redis.client();
      await redis.hset(`source:item:${id}`, {
        id,
        name: id,
        price: '1',
        category: '',
        stock: '0',
        revision: '1',
        updatedAt: 'x',
      });
      await redis.quit();
    }
    await post(`${a}/items`, { id: 'b0', name: 'cached', price: 1 });
    const loads = async () =>
      sample((await get(`${a}/metrics`)).text, 'clustache_cache_loader_duration_seconds_count', {
        cache: 'api',
      });
    const before = await loads();
    const batch = await post(`${a}/items/batch`, { ids: ['b0', 'b1', 'b2', 'b3', 'nope', 'b1'] });
    expect(batch.status).toBe(200);
    expect(batch.headers.get('x-cache-status')).toBe('MISS');
    expect(batch.body.items.map((item: { id: string }) => item.id)).toEqual(['b0', 'b1', 'b2', 'b3']);
    expect(batch.body).toMatchObject({ missing: ['nope'], hits: 1, misses: 4 });
    expect((await loads()) - before).toBe(1);

    const again = await post(`${a}/items/batch`, { ids: ['b0', 'b1', 'b2', 'b3'] });
    expect(again.headers.get('x-cache-status')).toBe('HIT');
    expect(again.body).toMatchObject({ missing: [], hits: 4, misses: 0 });
    // The batch's fills were published: the peer answers them from memory too.
    await waitFor(
      async () =>
        (await post(`${b}/items/batch`, { ids: ['b1', 'b2', 'b3'] })).headers.get('x-cache-status') === 'HIT',
    );
  });

  it('invalidates by key and by pattern on every replica', async () => {
    for (const id of ['p1', 'p2']) await post(`${a}/items`, { id, name: id, price: 1 });
    await waitFor(async () => (await get(`${b}/items/p2`)).headers.get('x-cache-source') === 'subscription');

    const keysBefore = await keysOn(b);
    const byKey = await post(`${a}/cache/invalidate`, { key: 'item:p1' });
    expect(byKey.body).toEqual({ invalidated: { key: 'item:p1' }, propagated: true });
    await waitFor(async () => (await keysOn(b)) === keysBefore - 1, {
      description: 'the key to leave replica 2',
    });
    expect((await get(`${a}/items/p1`)).headers.get('x-cache-source')).toBe('source');
    const byPattern = await post(`${a}/cache/invalidate`, { pattern: 'item:*' });
    expect(byPattern.status).toBe(200);
    expect(byPattern.body).toMatchObject({ invalidated: { pattern: 'item:*' }, propagated: true });
    await waitFor(async () => (await keysOn(b)) === 0, { description: 'the pattern to empty replica 2' });
    expect((await get(`${b}/items/p2`)).headers.get('x-cache-status')).toBe('MISS');
  });
});
