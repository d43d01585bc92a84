import { spawnSync } from 'node:child_process';
import { waitFor } from '@clustache/testing';
import { ApiCluster } from './support/api-cluster';
import { get, post, sample } from './support/http';

const OWN = 'clustache_cache_filled_from_cache_own';
const SUBSCRIPTION = 'clustache_cache_filled_from_cache_subscription';
const SOURCE = 'clustache_cache_filled_from_source';

/**
 * promtool's naming lints we live with: the seed dashboard queries its counters by these exact
 * names (no `_total`), and prom-client names its handle and request gauges `*_total`.
 */
const ACCEPTED_LINTS = [
  /^clustache_cache_filled_from_(cache_own|cache_subscription|l2|source) counter metrics should have "_total" suffix$/,
  /^nodejs_active_(handles|requests|resources)_total non-counter metrics should not have "_total" suffix$/,
];

/** `/metrics`: the seed dashboard's counters, the request histogram and the process metrics, per instance. */
describe('GET /metrics', () => {
  let cluster: ApiCluster;
  let a: string;
  let b: string;

  beforeAll(async () => {
    cluster = await ApiCluster.start(2);
    a = cluster.url(0);
    b = cluster.url(1);
  });
  afterAll(() => cluster.stop());

  const scrape = async (url: string) => (await get(url + '/metrics')).text;
  const seedCounters = async (url: string) => {
    const text = await scrape(url);
    return {
      own: sample(text, OWN, { cache: 'api' }),
      subscription: sample(text, SUBSCRIPTION, { cache: 'api' }),
      source: sample(text, SOURCE, { cache: 'api' }),
    };
  };

  it('moves the three seed counters as a fill travels: source on the loader, subscription and own on hits', async () => {
    const [a0, b0] = [await seedCounters(a), await seedCounters(b)];
    await get(`${a}/data/metered`);
    expect(await seedCounters(a)).toEqual({ ...a0, source: a0.source + 1 });

    await waitFor(async () => (await get(`${b}/stats`)).body.keys >= 1);
    await get(`${b}/data/metered`);
    await get(`${b}/data/metered`);
    expect(await seedCounters(b)).toEqual({ ...b0, subscription: b0.subscription + 2 });

    await get(`${a}/data/metered`);
    expect(await seedCounters(a)).toEqual({ ...a0, source: a0.source + 1, own: a0.own + 1 });
  });

  it('exposes the Redis error series at 0 on a healthy replica, so the dashboard panel reads 0, not "No data"', async () => {
    const text = await scrape(b);
    for (const operation of ['publish', 'l2.mget', 'l2.set', 'l2.scan', 'lease.acquire', 'lease.release']) {
      expect(text).toContain(`clustache_cache_redis_errors_total{cache="api",operation="${operation}"} 0\n`);
    }
  });

  it('times requests by method, route template and status code, never by raw path', async () => {
    await get(`${a}/items/not-there-1`);
    await get(`${a}/items/not-there-2`);
    await get(`${a}/no/such/route`);
    const text = await scrape(a);
    const labels = { method: 'GET', route: '/items/:id', status_code: '404' };
    expect(sample(text, 'http_request_duration_seconds_count', labels)).toBe(2);
    expect(sample(text, 'http_request_duration_seconds_bucket', { ...labels, le: '+Inf' })).toBe(2);
    expect(
      sample(text, 'http_request_duration_seconds_count', {
        method: 'GET',
        route: 'unmatched',
        status_code: '404',
      }),
    ).toBe(1);
    expect(text).not.toContain('not-there');
    expect(text).not.toContain('/no/such/route');
  });

  it("keeps each instance's metrics apart", async () => {
    await get(`${b}/items/only-on-b`);
    expect(
      sample(await scrape(a), 'http_request_duration_seconds_count', {
        route: '/items/:id',
        status_code: '404',
      }),
    ).toBe(2);
  });

  it("exposes the default process metrics and the engine's gauges in valid exposition format", async () => {
    const text = await scrape(a);
    expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
    expect(sample(text, 'clustache_cache_bus_connected', { cache: 'api' })).toBe(1);
    expect(sample(text, 'clustache_cache_l1_entries', { cache: 'api' })).toBeGreaterThan(0);
    const lint = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(lint.error).toBeUndefined();
    // Exit 1 is a parse error; 3 means only naming lints, of which we accept exactly these.
    const problems = `${lint.stdout}${lint.stderr}`.trim().split('\n').filter(Boolean);
    expect(lint.status === 0 || lint.status === 3).toBe(true);
    expect(problems.filter((problem) => !ACCEPTED_LINTS.some((accepted) => accepted.test(problem)))).toEqual(
      [],
    );
  });

  it('answers the seed 003 statistics per instance, with a reset baseline', async () => {
    await post(`${a}/items`, { id: 's1', name: 'S', price: 1 });
    await get(`${a}/items/s1`);
    const before = (await get(`${a}/stats`)).body;
    expect(before).toMatchObject({ instanceId: 'api-1', busConnected: true });
    expect(before.hits).toBe(before.fills.own + before.fills.subscription);
    expect(before.hitRate).toBeCloseTo(before.hits / (before.hits + before.misses));
    expect(before.keys).toBeGreaterThan(0);
    expect(before.bytes).toBeGreaterThan(0);

    const reset = await post(`${a}/stats/reset`);
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({
      hits: 0,
      misses: 0,
      hitRate: 0,
      fills: { own: 0, subscription: 0, l2: 0, source: 0 },
      keys: before.keys,
    });
    await get(`${a}/items/s1`);
    expect((await get(`${a}/stats`)).body).toMatchObject({
      hits: 1,
      misses: 0,
      hitRate: 1,
      fills: { own: 1 },
    });
    // Prometheus counters never go down: the reset only moved the /stats baseline.
    expect(sample(await scrape(a), OWN, { cache: 'api' })).toBeGreaterThanOrEqual(before.fills.own + 1);
  });
});
