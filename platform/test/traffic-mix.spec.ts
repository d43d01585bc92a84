import { TRAFFIC_MIX, ZipfKeys, type RequestKind } from '@clustache/traffic-mix';
import { TrafficMix, type PlannedRequest } from '../src/load/traffic-mix';

/** The kind of a planned request, told apart as the k6 scripts' test tells them. */
function kindOf(request: PlannedRequest): RequestKind {
  if (request.method === 'GET' && request.name === '/data/:id') return 'readData';
  if (request.method === 'GET' && request.path.includes('/missing-')) return 'readMissing';
  if (request.method === 'GET' && request.name === '/items/:id') return 'readItem';
  if (request.name === '/items/batch') return 'batch';
  if (request.method === 'PUT') return 'writeItem';
  if (request.name === '/cache/invalidate')
    return 'pattern' in (request.body as object) ? 'invalidatePattern' : 'invalidateKey';
  throw new Error(`not a request of the traffic mix: ${request.method} ${request.path}`);
}

describe('TrafficMix', () => {
  const mix = new TrafficMix(new ZipfKeys(100));

  it('sends each kind of request in its share', () => {
    const draws = 20_000;
    const counts = new Map<string, number>();
    for (let i = 0; i < draws; i++) {
      const request = mix.next();
      const kind = `${request.method} ${request.name}${request.path.includes('missing-') ? ' (missing)' : ''}`;
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    const share = (kind: string) => (counts.get(kind) ?? 0) / draws;
    expect(share('GET /items/:id')).toBeCloseTo(TRAFFIC_MIX.readItem, 1);
    expect(share('GET /data/:id')).toBeCloseTo(TRAFFIC_MIX.readData, 1);
    expect(share('PUT /items/:id')).toBeCloseTo(TRAFFIC_MIX.writeItem, 1);
    expect(share('POST /cache/invalidate')).toBeCloseTo(
      TRAFFIC_MIX.invalidateKey + TRAFFIC_MIX.invalidatePattern,
      1,
    );
    expect(share('GET /items/:id (missing)')).toBeGreaterThan(0.02);
    expect(share('POST /items/batch')).toBeGreaterThan(0.02);
  });

  it("draws every kind in its share of TRAFFIC_MIX, the k6 scripts' table", () => {
    let state = 11;
    const random = () => (state = (state * 48271) % 2147483647) / 2147483647;
    const seeded = new TrafficMix(new ZipfKeys(100), random);
    const draws = 50_000;
    const counts = new Map<RequestKind, number>();
    for (let i = 0; i < draws; i++) {
      const kind = kindOf(seeded.next());
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(Object.keys(TRAFFIC_MIX).sort());
    for (const [kind, share] of Object.entries(TRAFFIC_MIX)) {
      const drawn = counts.get(kind as RequestKind)! / draws;
      expect({ kind, off: Math.abs(drawn - share) < 0.01 }).toEqual({ kind, off: true });
    }
  });

  it('marks admin requests and the statuses that count as success', () => {
    const invalidations = Array.from({ length: 2000 }, () => mix.next()).filter(
      (request) => request.name === '/cache/invalidate',
    );
    expect(invalidations.every((request) => request.admin === true)).toBe(true);
    expect(
      invalidations.some((request) => (request.body as { pattern?: string }).pattern?.startsWith('data:')),
    ).toBe(true);
    expect(mix.seedRequests()).toHaveLength(100);
    expect(mix.seedRequests()[0]).toMatchObject({
      method: 'POST',
      path: '/items',
      body: { id: '1' },
      expected: [201, 409],
    });
  });

  it('recreates an item a read or a write found missing, but not the deliberately missing ones', () => {
    expect(
      mix.repair({ name: '/items/:id', method: 'GET', path: '/items/42', expected: [200] }, 404),
    ).toMatchObject({
      method: 'POST',
      body: { id: '42' },
    });
    expect(
      mix.repair({ name: '/items/:id', method: 'PUT', path: '/items/42', expected: [200] }, 404),
    ).toBeDefined();
    expect(
      mix.repair({ name: '/items/:id', method: 'GET', path: '/items/missing-42', expected: [404] }, 404),
    ).toBeUndefined();
    expect(
      mix.repair({ name: '/items/:id', method: 'GET', path: '/items/42', expected: [200] }, 200),
    ).toBeUndefined();
  });
});
