import { readFileSync } from 'node:fs';
import { createCache, type CoherentCache } from '@clustache/cache';
import { RedisServer } from '@clustache/testing';
import { Registry } from 'prom-client';
import { readAlerts, readRules, RULES_FILES, RUNBOOKS_FILE, runTool } from './support/files';

/** GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to dashes. */
const anchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');

/**
 * The job each metric is scraped as (the Helm chart's labels contract): the RTB rules read the
 * RTB jobs, the others the cache API's; `up` may name any job of its file.
 */
function expectedJob(metric: string, file: string): string {
  const rtb = file.startsWith('rtb.');
  if (metric.startsWith('redis_')) return 'redis-exporter';
  if (metric.startsWith('rtb_aggregat')) return 'clustache-rtb-aggregator';
  if (metric.startsWith('rtb_')) return 'clustache-rtb-api';
  if (metric === 'up')
    return rtb ? '(clustache-rtb-api|clustache-rtb-aggregator)' : '(clustache-api|redis-exporter)';
  return rtb ? 'clustache-rtb-api' : 'clustache-api';
}

describe.each(RULES_FILES.map((file) => [file.name, file] as const))('%s', (_name, file) => {
  it('passes promtool check rules', async () => {
    const result = await runTool('promtool', ['check', 'rules', file.path]);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain(`SUCCESS: ${readRules(file).length} rules found`);
  });

  it('passes its promtool unit tests', async () => {
    const result = await runTool('promtool', ['test', 'rules', file.testPath]);
    expect({ code: result.code, output: result.stdout + result.stderr }).toEqual({
      code: 0,
      output: expect.stringContaining('SUCCESS'),
    });
  });

  it('has each alert unit-tested firing', () => {
    const tests = readFileSync(file.testPath, 'utf8');
    for (const { alert } of readAlerts(file)) {
      expect({
        alert,
        tested: new RegExp(`alertname: ${alert}\\n\\s+exp_alerts:\\n\\s+- exp_labels`).test(tests),
      }).toEqual({ alert, tested: true });
    }
  });

  it('selects series by the job labels the Helm chart sets', () => {
    for (const rule of readRules(file)) {
      const selectors = [
        ...rule.expr.matchAll(/\b((?:clustache_|http_request_|redis_|rtb_)[a-z_]+|up)\{([^}]*)\}/g),
      ];
      for (const [, metric, labels] of selectors) {
        expect({ rule: rule.alert ?? rule.record, metric, labels }).toEqual({
          rule: rule.alert ?? rule.record,
          metric,
          labels: expect.stringMatching(new RegExp(`job="${expectedJob(metric!, file.name)}"`)),
        });
      }
    }
  });
});

describe('the alert rules', () => {
  it('include the alerts the issue asks for', () => {
    expect(readAlerts().map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        'ClustacheApiReplicaDown',
        'RedisDown',
        'ClustacheBusDisconnected',
        'ClustacheBusGapsDetected',
        'ClustacheL1FlushesNotRepairs',
        'ClustacheLatencyHigh',
        'ClustacheFillRateLow',
        'ClustacheSourceErrorsHigh',
        'RedisMemoryHigh',
        'RtbTagsDropped',
        'RtbTagsSlow',
        'RtbProfilesSlow',
        'RtbAggregationLagging',
        'RtbAggregatorDown',
      ]),
    );
  });

  it('each carry a severity, a summary, a description and a runbook section that exists', () => {
    const headings = new Set(
      readFileSync(RUNBOOKS_FILE, 'utf8')
        .split('\n')
        .filter((line) => /^#{2,3} /.test(line))
        .map((line) => anchor(line.replace(/^#+ /, ''))),
    );
    for (const rule of readAlerts()) {
      expect({ alert: rule.alert, severity: rule.labels?.['severity'] }).toEqual({
        alert: rule.alert,
        severity: expect.stringMatching(/^(warning|critical)$/),
      });
      expect(rule.annotations?.['summary']?.length ?? 0).toBeGreaterThan(10);
      expect(rule.annotations?.['description']?.length ?? 0).toBeGreaterThan(40);
      const runbook = rule.annotations?.['runbook_url'] ?? '';
      expect(runbook).toBe(`docs/runbooks.md#${rule.alert.toLowerCase()}`);
      expect({ alert: rule.alert, runbookSection: headings.has(rule.alert.toLowerCase()) }).toEqual({
        alert: rule.alert,
        runbookSection: true,
      });
    }
  });

  it('read only cache metrics the engine exports', async () => {
    const redis = await RedisServer.start();
    const registry = new Registry();
    let cache: CoherentCache | undefined;
    try {
      cache = createCache({ name: 'alerting-spec', redis: redis.url, registry });
      const exported = new Set((await registry.getMetricsAsJSON()).map((metric) => metric.name));
      // Recording rules (`level:metric:operations`) are not engine metrics: the lookarounds skip them.
      const read = readRules().flatMap((rule) =>
        [...rule.expr.matchAll(/(?<![:\w])(clustache_[a-z0-9_]+)(?![:\w])/g)].map((match) => match[1]!),
      );
      expect(read.length).toBeGreaterThan(5);
      expect(read.filter((name) => !exported.has(name))).toEqual([]);
    } finally {
      try {
        await cache?.close();
      } finally {
        await redis.kill();
      }
    }
  });
});
