import { RedisUnavailableError } from '@clustache/cache';
import { ApiCluster, type Replica } from './support/api-cluster';
import { get, rawGet, sample, type RawReply } from './support/http';

const TIMING = 'http_request_duration_seconds_count';

/** Every header but `Date`, which moves between any two responses. */
const headersOf = (reply: RawReply) => {
  const { date: _date, ...rest } = reply.headers;
  return rest;
};

/**
 * `GET /data/:id` is answered before Express for plain ids (`DataFastPath`). Whatever answers,
 * the client and the dashboards must not tell the difference: each test puts a fast-path request
 * next to one Express answers (the same id %-encoded, which only Express decodes).
 */
describe('GET /data/:id before Express', () => {
  let cluster: ApiCluster;
  let replica: Replica;
  let express: jest.SpyInstance;

  beforeAll(async () => {
    cluster = await ApiCluster.start(1);
    replica = cluster.replicas[0]!;
  });
  afterAll(() => cluster.stop());
  beforeEach(() => {
    // Every request Express serves goes through `app.handle` (untyped: Express's internals).
    const app = replica.api.app as unknown as { handle: (...args: unknown[]) => void };
    express = jest.spyOn(app, 'handle');
  });
  afterEach(() => express.mockRestore());

  const timings = async (labels: Record<string, string>) =>
    sample(await replica.api.registry.metrics(), TIMING, labels);

  it('answers plain ids without Express, with the routed answer’s status, headers and body', async () => {
    const miss = await rawGet(`${replica.url}/data/fast`);
    expect([miss.status, miss.headers['x-cache-status'], miss.headers['x-cache-source']]).toEqual([
      200,
      'MISS',
      'source',
    ]);
    for (const method of ['GET', 'HEAD']) {
      const fast = await rawGet(`${replica.url}/data/fast?ignored=1`, {}, method);
      expect(express).not.toHaveBeenCalled();
      const routed = await rawGet(`${replica.url}/data/%66ast`, {}, method);
      expect(express).toHaveBeenCalledTimes(1);
      expect(fast.headers['x-cache-status']).toBe('HIT');
      expect([fast.status, headersOf(fast), fast.body]).toEqual([
        routed.status,
        headersOf(routed),
        routed.body,
      ]);
      expect(fast.body).toBe(method === 'HEAD' ? '' : miss.body);
      express.mockClear();
    }
  });

  it('times its requests under the route template and moves the hit counters', async () => {
    await get(`${replica.url}/data/timed`);
    const labels = { method: 'GET', route: '/data/:id', status_code: '200' };
    const [timed, stats] = [await timings(labels), (await get(`${replica.url}/stats`)).body];
    await get(`${replica.url}/data/timed`);
    await get(`${replica.url}/data/timed`);
    expect(express.mock.calls.map(([req]) => (req as { url: string }).url)).toEqual(['/stats']);
    expect(await timings(labels)).toBe(timed + 2);
    const after = (await get(`${replica.url}/stats`)).body;
    expect([after.hits - stats.hits, after.fills.own - stats.fills.own, after.misses - stats.misses]).toEqual(
      [2, 2, 0],
    );
  });

  it.each([
    ['a conditional GET (304 needs Express’s freshness check)', '/data/fast', { 'if-none-match': '*' }, 304],
    ['an id that needs %-decoding', '/data/%66ast', {}, 200],
    ['an id Express’s case-insensitive route matches', '/DATA/fast', {}, 200],
    ['an invalid id', `/data/${'d'.repeat(129)}`, {}, 400],
    ['a trailing slash', '/data/fast/', {}, 200],
  ])('leaves %s to Express', async (_name, path, headers, status) => {
    expect((await rawGet(replica.url + path, headers)).status).toBe(status);
    expect(express).toHaveBeenCalledTimes(1);
  });

  it('hands a failed lookup to the error handler, still timed under the route template', async () => {
    const lookup = jest
      .spyOn(replica.api.cache, 'lookup')
      .mockRejectedValue(new RedisUnavailableError('data.load', new Error('connection refused')));
    const labels = { method: 'GET', route: '/data/:id', status_code: '503' };
    const before = await timings(labels);
    try {
      const fast = await rawGet(`${replica.url}/data/fast`);
      const routed = await rawGet(`${replica.url}/data/%66ast`);
      expect([fast.status, JSON.parse(fast.body).error.code]).toEqual([503, 'REDIS_UNAVAILABLE']);
      expect([headersOf(fast), fast.body]).toEqual([headersOf(routed), routed.body]);
      expect(await timings(labels)).toBe(before + 2);
    } finally {
      lookup.mockRestore();
    }
  });

  it('sends other methods to Express', async () => {
    const reply = await rawGet(`${replica.url}/data/fast`, {}, 'DELETE');
    expect([reply.status, reply.headers['allow']]).toEqual([405, 'GET, HEAD']);
    expect(express).toHaveBeenCalledTimes(1);
  });

  describe('once shutdown begins', () => {
    let leaving: Replica;

    beforeAll(async () => {
      leaving = await cluster.add({ instanceId: 'leaving' });
      await get(`${leaving.url}/data/fast`);
    });

    it('asks clients to close the connection, as every response does', async () => {
      leaving.api.beginShutdown();
      const [fast, routed] = [
        await rawGet(`${leaving.url}/data/fast`),
        await rawGet(`${leaving.url}/data/%66ast`),
      ];
      expect([fast.status, fast.headers['connection']]).toEqual([200, 'close']);
      expect(headersOf(fast)).toEqual(headersOf(routed));
    });
  });
});
