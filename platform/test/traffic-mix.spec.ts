import { MIX, TrafficMix } from '../src/load/traffic-mix';
import { ZipfKeys } from '../src/load/zipf';

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
    expect(share('GET /items/:id')).toBeCloseTo(MIX.readItem, 1);
    expect(share('GET /data/:id')).toBeCloseTo(MIX.readData, 1);
    expect(share('PUT /items/:id')).toBeCloseTo(MIX.writeItem, 1);
    expect(share('POST /cache/invalidate')).toBeCloseTo(MIX.invalidateKey + MIX.invalidatePattern, 1);
    expect(share('GET /items/:id (missing)')).toBeGreaterThan(0.02);
    expect(share('POST /items/batch')).toBeGreaterThan(0.02);
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
