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
});
