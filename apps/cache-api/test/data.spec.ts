import { waitFor } from '@clustache/testing';
import { ApiCluster } from './support/api-cluster';
import { get, rawGet } from './support/http';

/** Seed 001: `/data/:id` is loaded from the slow backend once, then every replica answers from memory. */
describe('GET /data/:id across replicas', () => {
  let cluster: ApiCluster;

  beforeAll(async () => {
    cluster = await ApiCluster.start(3);
  });
  afterAll(() => cluster.stop());

  const sourceFills = (i: number) => cluster.replicas[i]!.api.cache.stats.sourceFills;
  const totalSourceFills = () => cluster.replicas.reduce((sum, _r, i) => sum + sourceFills(i), 0);

  it('loads an id once, then every replica answers the same body from memory', async () => {
    const first = await get(`${cluster.url(0)}/data/some-id`);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-cache-status')).toBe('MISS');
    expect(first.headers.get('x-cache-source')).toBe('source');
    expect(first.headers.get('x-instance-id')).toBe('api-1');
    expect(first.body).toEqual({
      guid: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      date_created: expect.any(String),
    });
    expect(new Date(first.body.date_created).toISOString()).toBe(first.body.date_created);

    for (const i of [1, 2]) {
      await waitFor(async () => (await get(`${cluster.url(i)}/stats`)).body.keys === 1, {
        description: `replica ${i + 1} to receive the fill`,
      });
      const peer = await get(`${cluster.url(i)}/data/some-id`);
      expect(peer.headers.get('x-cache-status')).toBe('HIT');
      expect(peer.headers.get('x-cache-source')).toBe('subscription');
      expect(peer.text).toBe(first.text);
    }
    const again = await get(`${cluster.url(0)}/data/some-id`);
    expect(again.headers.get('x-cache-status')).toBe('HIT');
    expect(again.headers.get('x-cache-source')).toBe('own');
    expect(totalSourceFills()).toBe(1);
  });

  it('answers conditional GETs and HEAD with the same validator on every replica', async () => {
    const first = await get(`${cluster.url(0)}/data/validated`);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"/);
    expect(first.headers.get('content-length')).toBe(String(Buffer.byteLength(first.text)));
    await waitFor(
      async () => (await get(`${cluster.url(1)}/data/validated`)).headers.get('x-cache-status') === 'HIT',
    );
    for (const url of [cluster.url(0), cluster.url(1)]) {
      // Not fetch: it adds "Cache-Control: no-cache" to conditional requests, which rightly disables 304s.
      const again = await rawGet(`${url}/data/validated`, { 'if-none-match': etag });
      expect([again.status, again.body, again.headers['x-cache-status']]).toEqual([304, '', 'HIT']);
      const head = await fetch(`${url}/data/validated`, { method: 'HEAD' });
      expect([
        head.status,
        head.headers.get('etag'),
        head.headers.get('content-length'),
        await head.text(),
      ]).toEqual([200, etag, first.headers.get('content-length'), '']);
    }
  });

  it('answers the same body on every replica even when each loads the id itself', async () => {
    // Cold misses on all replicas at once: each may load, and all must agree on the body.
    const replies = await Promise.all(cluster.replicas.map((replica) => get(`${replica.url}/data/raced`)));
    expect(new Set(replies.map((reply) => reply.text)).size).toBe(1);
  });

  it('shares one backend load among concurrent requests on a replica', async () => {
    const before = sourceFills(1);
    const replies = await Promise.all(
      Array.from({ length: 20 }, () => get(`${cluster.url(1)}/data/popular`)),
    );
    expect(replies.every((reply) => reply.status === 200 && reply.text === replies[0]!.text)).toBe(true);
    expect(sourceFills(1) - before).toBe(1);
  });
});
