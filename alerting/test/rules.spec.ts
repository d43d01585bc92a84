import { readFileSync } from 'node:fs';
import { createCache, type CoherentCache } from '@clustache/cache';
import { RedisServer } from '@clustache/testing';
import { Registry } from 'prom-client';
import { readAlerts, readRules, RULES_FILE, RULES_TEST_FILE, RUNBOOKS_FILE, runTool } from './support/files';

/** GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to dashes. */
const anchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');

describe('the alert rules', () => {
  it('pass promtool check rules', async () => {
    const result = await runTool('promtool', ['check', 'rules', RULES_FILE]);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain(`SUCCESS: ${readRules().length} rules found`);
  });

  it('pass their promtool unit tests', async () => {
    const result = await runTool('promtool', ['test', 'rules', RULES_TEST_FILE]);
    expect({ code: result.code, output: result.stdout + result.stderr }).toEqual({
      code: 0,
      output: expect.stringContaining('SUCCESS'),
    });
  });

  it('include the alerts the issue asks for', () => {
    expect(readAlerts().map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        'ClustacheApiReplicaDown',
        'RedisDown',
        'ClustacheBusDisconnected',
        'ClustacheBusGapsDetected',
        'ClustacheLatencyHigh',
        'ClustacheFillRateLow',
        'ClustacheSourceErrorsHigh',
        'RedisMemoryHigh',
      ]),
    );
  });

  it('are each unit-tested firing', () => {
    const tests = readFileSync(RULES_TEST_FILE, 'utf8');
    for (const { alert } of readAlerts()) {
      expect({
        alert,
        tested: new RegExp(`alertname: ${alert}\\n\\s+exp_alerts:\\n\\s+- exp_labels`).test(tests),
      }).toEqual({ alert, tested: true });
    }
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

  it('select API and Redis series by the job labels the Helm chart sets', () => {
    for (const rule of readRules()) {
      const selectors = [
        ...rule.expr.matchAll(/\b((?:clustache_|http_request_|redis_)[a-z_]+|up)\{([^}]*)\}/g),
      ];
      for (const [, metric, labels] of selectors) {
        const job = metric!.startsWith('redis_')
          ? 'redis-exporter'
          : metric === 'up'
            ? '(clustache-api|redis-exporter)'
            : 'clustache-api';
        expect({ rule: rule.alert ?? rule.record, metric, labels }).toEqual({
          rule: rule.alert ?? rule.record,
          metric,
          labels: expect.stringMatching(new RegExp(`job="${job}"`)),
        });
      }
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
