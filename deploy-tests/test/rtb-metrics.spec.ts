import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, RedisServer, ServiceProcess, waitFor } from '@clustache/testing';
import { REPO_ROOT } from '../src';

/** Metric names a rules file or dashboard reads, without histogram series suffixes or recording rules. */
function metricsReadBy(path: string): string[] {
  const text = readFileSync(join(REPO_ROOT, path), 'utf8');
  const names = [...text.matchAll(/(?<![:\w])((?:rtb|http_request|process)_[a-z0-9_]+)(?![:\w])/g)].map(
    (match) => match[1]!.replace(/_(bucket|sum|count)$/, ''),
  );
  return [...new Set(names)].sort();
}

describe('the RTB rules and dashboard', () => {
  let redis: RedisServer;
  let rtb: ServiceProcess;
  let exported: Set<string>;

  beforeAll(async () => {
    redis = await RedisServer.start();
    const port = await freePort();
    // RTB_ROLE=all registers what both the chart's roles export: the API's and the aggregator's.
    rtb = ServiceProcess.start('apps/rtb/src/main.ts', {
      PORT: String(port),
      REDIS_URL: redis.url,
      INSTANCE_ID: 'rtb-metrics-spec',
      RTB_ROLE: 'all',
    });
    const text = await waitFor(
      async () => {
        if (!rtb.running) throw new Error(`rtb exited: ${rtb.stderr}`);
        const response = await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => undefined);
        return response?.ok ? response.text() : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100, description: 'the RTB /metrics' },
    );
    exported = new Set([...text!.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1]!));
  }, 60_000);

  afterAll(async () => {
    await rtb?.kill();
    await redis?.kill();
  });

  it.each(['alerting/rules/rtb.rules.yml', 'dashboards/clustache-rtb.json'])(
    '%s reads only metrics the RTB exports',
    (file) => {
      const read = metricsReadBy(file);
      expect(read).toEqual(
        expect.arrayContaining(['rtb_aggregation_lag_seconds', 'http_request_duration_seconds']),
      );
      expect(read.filter((name) => !exported.has(name))).toEqual([]);
    },
  );
});
