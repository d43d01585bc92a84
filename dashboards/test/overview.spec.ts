import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DASHBOARDS_DIR } from '../src/files';
import type { Dashboard } from '../src/grafana';
import { panelQueries } from '../src/panel-queries';

/** The committed overview as Grafana will load it from a file or a ConfigMap. */
const overview = JSON.parse(
  readFileSync(join(DASHBOARDS_DIR, 'clustache-overview.json'), 'utf8'),
) as Dashboard;
const panels = overview.panels.filter((panel) => panel.type !== 'row');

describe('the Clustache overview dashboard', () => {
  it('has the seed panels done over rates, and the rows the issue asks for', () => {
    const titles = panels.map((panel) => panel.title);
    expect(titles).toEqual(
      expect.arrayContaining(['% of fulfillment from pub/sub', 'Cache fill rate', 'Response latency']),
    );
    const rows = overview.panels.filter((panel) => panel.type === 'row').map((panel) => panel.title);
    expect(rows.join(' | ')).toMatch(/Cache.*Bus.*L1.*HTTP.*Redis.*Load test/);
    const latency = panels.find((panel) => panel.title === 'Response latency')!;
    expect(latency.targets!.map((target) => target.legendFormat)).toEqual(['average', 'p95', 'p99']);
    for (const title of ['% of fulfillment from pub/sub', 'Cache fill rate']) {
      const expr = panels.find((panel) => panel.title === title)!.targets![0]!.expr;
      expect(expr).toContain('rate(clustache_cache_filled_from_cache_subscription{');
      expect(expr).toContain('rate(clustache_cache_filled_from_cache_own{');
    }
  });

  it('selects API and Redis series by the job labels the Helm chart sets', () => {
    for (const { panel, expr } of panelQueries(overview)) {
      if (/\b(clustache_|http_request_|process_)/.test(expr))
        expect({ panel, ok: expr.includes('job="clustache-api"') }).toEqual({ panel, ok: true });
      if (/\bredis_/.test(expr))
        expect({ panel, ok: expr.includes('job="redis-exporter"') }).toEqual({ panel, ok: true });
    }
  });

  it('shows k6 VUs as a count on their own axis, beside the share of failed requests in percent', () => {
    const panel = panels.find((candidate) => candidate.title === 'Load: failed requests and VUs')!;
    const fieldConfig = panel.fieldConfig as {
      defaults: { unit: string };
      overrides: { matcher: { id: string; options: string }; properties: { id: string; value: unknown }[] }[];
    };
    /** The unit Grafana applies to a query's series: its override's, else the panel's. */
    const unitOf = (refId: string) =>
      fieldConfig.overrides
        .filter((o) => o.matcher.id === 'byFrameRefID' && o.matcher.options === refId)
        .flatMap((o) => o.properties)
        .find((p) => p.id === 'unit')?.value ?? fieldConfig.defaults.unit;
    const target = (metric: string) => panel.targets!.find((t) => t.expr.includes(metric))!;
    expect(unitOf(target('k6_http_req_failed_rate').refId)).toBe('percentunit');
    expect(unitOf(target('k6_vus').refId)).toBe('short');
    const vus = fieldConfig.overrides.find((o) => o.matcher.options === target('k6_vus').refId)!;
    expect(vus.properties).toContainEqual({ id: 'custom.axisPlacement', value: 'right' });
  });
});
