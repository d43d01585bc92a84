import { seededRandom } from '@clustache/testing';
import { TRAFFIC_MIX, type RequestKind } from '@clustache/traffic-mix';
import { recorder, type Emission } from './k6-standin/recorder';
import { iterate, loadProfile, runSetup, startRun } from './profile-run';

/** The kind of request the API received, told apart as the platform's load test tells them. */
function kindOf(method: string, url: string, body: string | undefined): RequestKind {
  const path = new URL(url).pathname;
  if (method === 'GET' && path.startsWith('/data/')) return 'readData';
  if (method === 'GET' && path.startsWith('/items/k6-missing-')) return 'readMissing';
  if (method === 'GET' && path.startsWith('/items/')) return 'readItem';
  if (method === 'POST' && path === '/items/batch') return 'batch';
  if (method === 'PUT' && path.startsWith('/items/')) return 'writeItem';
  if (method === 'POST' && path === '/cache/invalidate')
    return 'pattern' in (JSON.parse(body!) as object) ? 'invalidatePattern' : 'invalidateKey';
  throw new Error(`not a request of the traffic mix: ${method} ${path}`);
}

afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
});

describe('the k6 traffic', () => {
  const profile = loadProfile('steady');
  const ITERATIONS = 50_000;

  it("sends each kind of request in its share of TRAFFIC_MIX, the platform's load's table", () => {
    startRun();
    runSetup(profile);
    recorder.clear();
    const standIn = recorder.respond;
    const counts = new Map<RequestKind, number>();
    recorder.respond = (method, url, body) => {
      const kind = kindOf(method, url, body);
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
      return standIn(method, url, body);
    };
    jest.spyOn(Math, 'random').mockImplementation(seededRandom(11));
    iterate(profile, 'traffic', { iterations: ITERATIONS, vus: 1, firstVu: 1, sink: () => undefined });

    const shares = Object.fromEntries([...counts].map(([kind, count]) => [kind, count / ITERATIONS]));
    expect(Object.keys(shares).sort()).toEqual(Object.keys(TRAFFIC_MIX).sort());
    for (const [kind, share] of Object.entries(TRAFFIC_MIX))
      expect({ kind, off: Math.abs(shares[kind]! - share) < 0.01 }).toEqual({ kind, off: true });
  });

  it('counts the 404 of a read of a missing item as an expected response and a passed check', () => {
    startRun();
    runSetup(profile);
    recorder.clear();
    const missing: Emission[] = [];
    iterate(profile, 'traffic', {
      iterations: 2000,
      vus: 1,
      firstVu: 1,
      sink: (emissions) =>
        missing.push(
          ...emissions.filter(
            (e) => (e.kind === 'http' && e.url.includes('/items/k6-missing-')) || e.kind === 'check',
          ),
        ),
    });
    const reads = missing.filter((e) => e.kind === 'http');
    expect(reads.length).toBeGreaterThan(20);
    for (const read of reads)
      expect(read).toMatchObject({ status: 404, expected: true, tags: { name: 'GET /items/:id' } });
    const checks = missing.filter((e) => e.kind === 'check' && e.name.includes('missing'));
    expect(checks).toHaveLength(reads.length);
    expect(checks.every((e) => e.kind === 'check' && e.passed)).toBe(true);
  });
});
