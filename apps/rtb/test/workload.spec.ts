import { RedisServer } from '@clustache/testing';
import { Workload } from '@clustache/rtb-contract';
import { startInProcess, testConfig, type InProcessRtb } from './support/rtb-harness';

/**
 * The generator and reference model, run short against the API and two aggregators on
 * a real redis-server: every tag accepted, every profile and aggregates answer right, including
 * the totals of every minute at the end.
 */
describe('the contract workload', () => {
  let redis: RedisServer;
  let rtb: InProcessRtb;

  beforeAll(async () => {
    redis = await RedisServer.start();
    rtb = await startInProcess(testConfig(redis.url, { RTB_AGGREGATORS: '2' }));
  });

  afterAll(async () => {
    await rtb?.stop();
    await redis?.kill();
  });

  it('drops no tag and answers every query rightly', async () => {
    const report = await new Workload({
      baseUrl: rtb.url,
      seed: 42,
      tagsPerSecond: 400,
      durationMs: 8000,
      aggregateEvery: 40,
      aggregateVisibilityMs: 2000,
      profileWindowMs: 60_000,
    }).run();
    expect(report.mismatches).toEqual([]);
    expect(report.tags).toMatchObject({ sent: 3200, ok: 3200, failed: 0 });
    expect(report.profiles.sent).toBeGreaterThan(250);
    expect(report.profiles).toMatchObject({ wrong: 0, failed: 0, correct: report.profiles.sent });
    expect(report.aggregates.sent).toBeGreaterThan(40);
    expect(report.aggregates).toMatchObject({ wrong: 0, failed: 0, correct: report.aggregates.sent });
  }, 60_000);
});
