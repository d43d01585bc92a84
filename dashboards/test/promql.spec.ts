import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createCache, type CoherentCache } from '@clustache/cache';
import { RedisServer } from '@clustache/testing';
import { Registry } from 'prom-client';
import { readCommittedDashboards } from '../src/files';
import { panelQueries, toPromql, type PanelQuery } from '../src/panel-queries';
import { readSeedDashboard } from '../src/seed-dashboard';

const run = promisify(execFile);

/** Metric names a query reads, without histogram series suffixes. */
function metricNames(expr: string, prefix: string): string[] {
  const names = [...expr.matchAll(new RegExp(`\\b(${prefix}[a-z0-9_]*)`, 'g'))].map((match) => match[1]!);
  return [...new Set(names.map((name) => name.replace(/_(bucket|sum|count)$/, '')))];
}

describe('panel queries', () => {
  let dir: string;
  let ours: PanelQuery[];
  let seed: PanelQuery[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clustache-dashboards-'));
    ours = [...(await readCommittedDashboards()).values()].flatMap((dashboard) => panelQueries(dashboard));
    seed = panelQueries(await readSeedDashboard());
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('all parse as PromQL (promtool checks them as recording rules)', async () => {
    const rules = [...ours, ...seed].map((query, i) => ({
      record: `dashboard:query_${i}`,
      expr: toPromql(query.expr),
    }));
    const file = join(dir, 'queries.rules.json');
    await writeFile(file, JSON.stringify({ groups: [{ name: 'dashboard-queries', rules }] }));
    const { stdout } = await run('promtool', ['check', 'rules', file]);
    expect(stdout).toContain(`SUCCESS: ${rules.length} rules found`);
  });

  it('read only metrics the cache engine exports (the seed dashboard too)', async () => {
    const redis = await RedisServer.start();
    const registry = new Registry();
    let cache: CoherentCache | undefined;
    try {
      cache = createCache({ name: 'dashboards-spec', redis: redis.url, registry });
      const exported = new Set((await registry.getMetricsAsJSON()).map((metric) => metric.name));
      const read = [...ours, ...seed].flatMap((query) => metricNames(query.expr, 'clustache_'));
      expect(read.length).toBeGreaterThan(20);
      expect(read.filter((name) => !exported.has(name))).toEqual([]);
      expect([...new Set(seed.flatMap((query) => metricNames(query.expr, 'clustache_')))].sort()).toEqual([
        'clustache_cache_filled_from_cache_own',
        'clustache_cache_filled_from_cache_subscription',
        'clustache_cache_filled_from_source',
      ]);
    } finally {
      try {
        await cache?.close();
      } finally {
        await redis.kill();
      }
    }
  });
});
