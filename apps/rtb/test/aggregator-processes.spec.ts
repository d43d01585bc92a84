import Redis from 'ioredis';
import { freePort, RedisServer, waitFor, type ServiceProcess } from '@clustache/testing';
import { Workload } from '@clustache/rtb-contract';
import { RTB_KEYS } from '../src/store/keys';
import { startInProcess, startProcess, testConfig, type InProcessRtb } from './support/rtb-harness';

/**
 * Aggregators as separate processes, the way the chart runs them, crashed with SIGKILL while
 * tags flow: one never comes back (the other takes over its tags), one is restarted under its
 * name (it finishes what it held). Every minute's totals must still come out exact.
 */
describe('aggregator processes that crash', () => {
  let redis: RedisServer;
  let api: InProcessRtb;
  const processes: ServiceProcess[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
    api = await startInProcess(testConfig(redis.url, { RTB_ROLE: 'api' }));
  });

  afterAll(async () => {
    await Promise.all(processes.map((child) => child.kill()));
    await api?.stop();
    await redis?.kill();
  });

  const aggregator = async (name: string, port: number) => {
    const child = await startProcess(redis, port, {
      RTB_ROLE: 'aggregator',
      INSTANCE_ID: name,
      RTB_AGGREGATORS: '1',
    });
    processes.push(child);
    return child;
  };

  const appliedBy = async (port: number) =>
    Number(
      (await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).match(
        /^rtb_aggregator_tags_applied_total (\d+)$/m,
      )?.[1],
    );

  it('loses and double-counts nothing, and keeps the stream trimmed', async () => {
    const [portA, portB] = [await freePort(), await freePort()];
    const a = await aggregator('agg-a', portA);
    let b = await aggregator('agg-b', portB);
    const workload = new Workload({
      baseUrl: api.url,
      seed: 9,
      tagsPerSecond: 300,
      durationMs: 9000,
      aggregateEvery: 30,
      aggregateVisibilityMs: 4000,
      profileWindowMs: 60_000,
    });
    const run = workload.run();
    // Each crash lands mid-stream: once the aggregators together have applied this many tags.
    const applied = async () => (await appliedBy(portA).catch(() => 0)) + (await appliedBy(portB));
    await waitFor(async () => (await applied()) >= 600, {
      timeoutMs: 10_000,
      description: '600 tags applied',
    });
    await a.kill();
    const before = await appliedBy(portB);
    await waitFor(async () => (await appliedBy(portB)) >= before + 600, {
      timeoutMs: 10_000,
      description: 'agg-b to apply 600 more tags alone',
    });
    await b.kill();
    b = await aggregator('agg-b', portB);
    const report = await run;

    expect(report.mismatches).toEqual([]);
    expect(report.tags).toMatchObject({ sent: 2700, ok: 2700 });
    expect(report.aggregates).toMatchObject({ wrong: 0, failed: 0 });
    expect(report.aggregates.correct).toBeGreaterThan(20);

    const client = new Redis(redis.url, { disableClientInfo: true });
    try {
      await waitFor(async () => (await client.xlen(RTB_KEYS.stream)) < 300, {
        timeoutMs: 15_000,
        description: 'the housekeeper to trim applied tags from the stream',
      });
      expect(await client.xpending(RTB_KEYS.stream, RTB_KEYS.group)).toEqual([0, null, null, null]);
    } finally {
      client.disconnect();
    }
    const metrics = await (await fetch(`http://127.0.0.1:${portB}/metrics`)).text();
    expect(metrics).toMatch(/^rtb_aggregation_lag_seconds 0$/m);
  }, 60_000);
});
