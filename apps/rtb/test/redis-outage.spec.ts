import { freePort, RedisServer, waitFor } from '@clustache/testing';
import { serve } from '@clustache/service';
import { createRtb } from '../src/app';
import { startInProcess, testConfig, type InProcessRtb } from './support/rtb-harness';
import { postTag, userTag } from './support/tags';

const T0 = Date.UTC(2022, 2, 1);

/** `/ready`'s status and body: `{status, redis, role, instanceId}`, or `{error: {code, message}}`. */
async function readiness(url: string) {
  const response = await fetch(`${url}/ready`);
  const body = (await response.json()) as { redis?: string; error?: { code: string } };
  return { status: response.status, body };
}

/**
 * With Redis gone the process stays ready (a shared dependency's outage must not empty the
 * Service) and says `"redis": "unavailable"` on `/ready`; a tag cannot be stored, so it is refused with a 503 the client can retry and
 * counted as dropped (the alert's input), never acknowledged and lost. When Redis is back the
 * API and the aggregators carry on by themselves, the aggregators re-creating their group.
 */
describe('a Redis outage', () => {
  let redis: RedisServer;
  let rtb: InProcessRtb;

  beforeAll(async () => {
    redis = await RedisServer.start();
    rtb = await startInProcess(testConfig(redis.url));
  });

  afterAll(async () => {
    await rtb?.stop();
    await redis?.kill();
  });

  const metric = async (name: string) =>
    Number(
      (await (await fetch(`${rtb.url}/metrics`)).text()).match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1],
    );

  it('refuses tags with 503 while Redis is down and takes them again once it is back', async () => {
    expect((await postTag(rtb.url, userTag('a', T0))).status).toBe(204);
    await redis.kill();
    const refused = await postTag(rtb.url, userTag('a', T0 + 1));
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ error: { code: 'REDIS_UNAVAILABLE' } });
    expect(await metric('rtb_user_tags_dropped_total')).toBe(1);
    for (const query of [
      '/user_profiles/a?time_range=2022-03-01T00:00:00.000_2022-03-01T00:01:00.000',
      '/aggregates?time_range=2022-03-01T00:00:00_2022-03-01T00:01:00&action=VIEW&aggregates=COUNT',
    ]) {
      const answer = await fetch(`${rtb.url}${query}`, { method: 'POST' });
      expect([
        query,
        answer.status,
        ((await answer.json()) as { error?: { code: string } }).error?.code,
      ]).toEqual([query, 503, 'REDIS_UNAVAILABLE']);
    }
    // Still ready: the replica answers 503 REDIS_UNAVAILABLE itself instead of leaving the Service.
    await waitFor(async () => (await readiness(rtb.url)).body.redis === 'unavailable', {
      description: '/ready to show the outage',
    });
    expect((await readiness(rtb.url)).status).toBe(200);

    await redis.restart();
    await waitFor(async () => (await readiness(rtb.url)).body.redis === 'connected', {
      timeoutMs: 10_000,
      description: '/ready to show Redis connected again',
    });
    expect((await postTag(rtb.url, userTag('a', T0 + 2, { origin: 'after' }))).status).toBe(204);
    await waitFor(
      async () => {
        const response = await fetch(
          `${rtb.url}/aggregates?time_range=2022-03-01T00:00:00_2022-03-01T00:01:00&action=VIEW&origin=after&aggregates=COUNT`,
          { method: 'POST' },
        );
        return ((await response.json()) as { rows: string[][] }).rows[0]![3] === '1';
      },
      { timeoutMs: 15_000, description: 'the aggregators to apply the tag sent after the restart' },
    );
  }, 40_000);
});

describe('starting before Redis', () => {
  it('is unready until Redis first answers, then ready until shutdown begins', async () => {
    const port = await freePort();
    const rtb = createRtb(testConfig(`redis://127.0.0.1:${port}`));
    const server = await serve(rtb.app, 0, {
      onShutdownBegin: () => rtb.beginShutdown(),
      onDrained: () => rtb.close(),
    });
    let redis: RedisServer | undefined;
    try {
      const early = await readiness(server.url);
      expect([early.status, early.body.error?.code]).toEqual([503, 'NOT_READY']);
      const refused = await postTag(server.url, userTag('a', T0));
      expect(refused.status).toBe(503);
      expect(await refused.json()).toMatchObject({ error: { code: 'REDIS_UNAVAILABLE' } });

      redis = await RedisServer.start({ port });
      await waitFor(async () => (await readiness(server.url)).status === 200, {
        timeoutMs: 10_000,
        description: 'readiness',
      });
      expect((await readiness(server.url)).body).toEqual({
        status: 'ready',
        redis: 'connected',
        role: 'all',
        instanceId: 'rtb-test',
      });

      rtb.beginShutdown(); // what SIGTERM does first
      const leaving = await readiness(server.url);
      expect([leaving.status, leaving.body.error?.code]).toEqual([503, 'SHUTTING_DOWN']);
    } finally {
      await server.shutdown(1000);
      await redis?.kill();
    }
  }, 30_000);
});

describe('shutting down while Redis is gone', () => {
  it('stops its aggregators and closes its connections instead of waiting for Redis to return', async () => {
    const redis = await RedisServer.start();
    const rtb = await startInProcess(testConfig(redis.url));
    await waitFor(async () => (await readiness(rtb.url)).body.redis === 'connected', {
      timeoutMs: 10_000,
      description: 'readiness',
    });
    await redis.kill();
    await waitFor(async () => (await readiness(rtb.url)).body.redis === 'unavailable', {
      description: '/ready to show the outage',
    });
    // Before, the aggregators' commands waited in the offline queue for Redis and the stop with them.
    const outcome = await Promise.race([
      rtb.stop().then(() => 'stopped'),
      new Promise((resolve) => setTimeout(resolve, 15_000, 'still waiting for Redis').unref()),
    ]);
    expect(outcome).toBe('stopped');
  }, 30_000);
});
