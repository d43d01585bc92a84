import { RedisServer, waitFor } from '@clustache/testing';
import { startInProcess, testConfig, type InProcessRtb } from './support/rtb-harness';
import { postTag, userTag } from './support/tags';

const T0 = Date.UTC(2022, 2, 1);

/**
 * With Redis gone a tag cannot be stored, so it is refused with a 503 the client can retry and
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
    expect((await fetch(`${rtb.url}/ready`)).status).toBe(503);

    await redis.restart();
    await waitFor(async () => (await fetch(`${rtb.url}/ready`)).ok, {
      timeoutMs: 10_000,
      description: '/ready',
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
