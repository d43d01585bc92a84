import { RedisServer } from '@clustache/testing';
import { formatProfileTime } from '@clustache/rtb-contract';
import { startInProcess, testConfig, type InProcessRtb } from './support/rtb-harness';
import { postTag, userTag } from './support/tags';

const T0 = Date.UTC(2022, 2, 1);

/** The course's debug mode sends the expected answer as the query body; RTB_DEBUG=1 counts differences. */
describe('RTB_DEBUG', () => {
  let redis: RedisServer;
  let rtb: InProcessRtb;

  beforeAll(async () => {
    redis = await RedisServer.start();
    rtb = await startInProcess(testConfig(redis.url, { RTB_DEBUG: '1', RTB_AGGREGATORS: '0' }));
  });

  afterAll(async () => {
    await rtb?.stop();
    await redis?.kill();
  });

  const mismatches = async () =>
    Number(
      (await (await fetch(`${rtb.url}/metrics`)).text()).match(
        /^rtb_debug_mismatches_total\{endpoint="user_profiles"\} (\d+)$/m,
      )?.[1] ?? 0,
    );

  it('counts an answer that differs from the expected body, and not one that matches', async () => {
    await postTag(rtb.url, userTag('dan', T0));
    const url = `${rtb.url}/user_profiles/dan?time_range=${formatProfileTime(T0)}_${formatProfileTime(T0 + 1)}`;
    const right = { cookie: 'dan', views: [userTag('dan', T0)], buys: [] };
    const answer = await fetch(url, { method: 'POST', body: JSON.stringify(right) });
    expect(await answer.json()).toEqual(right);
    expect(await mismatches()).toBe(0);
    await fetch(url, { method: 'POST', body: JSON.stringify({ ...right, views: [] }) });
    expect(await mismatches()).toBe(1);
    // A body that is not JSON is ignored, as without debug.
    expect((await fetch(url, { method: 'POST', body: 'not json' })).status).toBe(200);
    expect(await mismatches()).toBe(1);
  });
});
