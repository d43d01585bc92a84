import { RedisServer } from '@clustache/testing';
import { formatProfileTime } from '@clustache/rtb-contract';
import { startInProcess, testConfig, type InProcessRtb } from './support/rtb-harness';
import { postTag, userTag } from './support/tags';

const T0 = Date.UTC(2022, 2, 1);

describe('user profiles', () => {
  let redis: RedisServer;
  let rtb: InProcessRtb;

  beforeAll(async () => {
    redis = await RedisServer.start();
    rtb = await startInProcess(
      testConfig(redis.url, { RTB_ROLE: 'api', RTB_PROFILE_RETENTION_SECONDS: '3600' }),
    );
  });

  afterAll(async () => {
    await rtb?.stop();
    await redis?.kill();
  });

  async function profile(cookie: string, fromMs: number, toMs: number, limit?: number) {
    const query = `time_range=${formatProfileTime(fromMs)}_${formatProfileTime(toMs)}${limit === undefined ? '' : `&limit=${limit}`}`;
    const response = await fetch(`${rtb.url}/user_profiles/${encodeURIComponent(cookie)}?${query}`, {
      method: 'POST',
      body: '{"expected": "ignored"}',
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { cookie: string; views: { time: string }[]; buys: { time: string }[] };
  }

  it('returns tags newest first, VIEWs and BUYs apart, within a half-open range', async () => {
    for (let i = 0; i < 6; i++)
      expect(
        (await postTag(rtb.url, userTag('alice', T0 + i * 1000, { action: i % 2 ? 'BUY' : 'VIEW' }))).status,
      ).toBe(204);
    const answer = await profile('alice', T0 + 1000, T0 + 5000);
    expect(answer.cookie).toBe('alice');
    expect(answer.views.map((tag) => tag.time)).toEqual(
      [T0 + 4000, T0 + 2000].map((ms) => new Date(ms).toISOString()),
    );
    expect(answer.buys.map((tag) => tag.time)).toEqual(
      [T0 + 3000, T0 + 1000].map((ms) => new Date(ms).toISOString()),
    );
    expect(answer.views[0]).toEqual(userTag('alice', T0 + 4000));
  });

  it('applies the limit to each list', async () => {
    const answer = await profile('alice', T0, T0 + 10_000, 1);
    expect(answer.views).toHaveLength(1);
    expect(answer.buys).toHaveLength(1);
    expect(answer.views[0]!.time).toBe(new Date(T0 + 4000).toISOString());
  });

  it('keeps the 200 most recent tags of each action, whatever order they arrive in', async () => {
    const times = Array.from({ length: 230 }, (_, i) => T0 + i);
    times.reverse().push(...times.splice(0, 10)); // mostly descending, the newest ten last
    for (const time of times) await postTag(rtb.url, userTag('bob', time));
    await postTag(rtb.url, userTag('bob', T0 + 5, { action: 'BUY' }));
    const answer = await profile('bob', T0, T0 + 60_000);
    expect(answer.views).toHaveLength(200);
    expect(answer.views[0]!.time).toBe(new Date(T0 + 229).toISOString());
    expect(answer.views[199]!.time).toBe(new Date(T0 + 30).toISOString());
    expect(answer.buys).toHaveLength(1);
  });

  it('answers an unknown cookie with empty lists', async () => {
    expect(await profile('nobody', T0, T0 + 1000)).toEqual({ cookie: 'nobody', views: [], buys: [] });
  });

  it('trims tags that fell out of the retention window behind the cookie newest', async () => {
    await postTag(rtb.url, userTag('carol', T0));
    await postTag(rtb.url, userTag('carol', T0 + 3600_000 + 1));
    const answer = await profile('carol', T0, T0 + 7200_000);
    expect(answer.views.map((tag) => tag.time)).toEqual([new Date(T0 + 3600_000 + 1).toISOString()]);
  });
});
