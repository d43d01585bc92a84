import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DASHBOARDS_DIR } from '../src/files';
import type { Dashboard, Panel } from '../src/grafana';
import { panelQueries } from '../src/panel-queries';

/** The committed overview as Grafana will load it from a file or a ConfigMap. */
const overview = JSON.parse(
  readFileSync(join(DASHBOARDS_DIR, 'clustache-overview.json'), 'utf8'),
) as Dashboard;
const panels = overview.panels.filter((panel) => panel.type !== 'row');

describe('the Clustache overview dashboard', () => {
  it('is committed exactly as the TypeScript source generates it', async () => {
    // The generator formats with prettier, which jest cannot load; run it as CI would.
    const tsx = join(DASHBOARDS_DIR, '..', 'node_modules', '.bin', 'tsx');
    const { stdout } = await promisify(execFile)(tsx, [
      join(DASHBOARDS_DIR, 'src', 'generate.ts'),
      '--check',
    ]);
    expect(stdout).toContain('dashboards are up to date');
  });

  it('provisions from a file: stable uid, a datasource variable, no import placeholders', () => {
    expect(overview.uid).toBe('clustache-overview');
    expect(overview).not.toHaveProperty('__inputs');
    expect(overview).not.toHaveProperty('__requires');
    expect(JSON.stringify(overview)).not.toContain('DS_PROMETHEUS');
    expect(overview.templating.list[0]).toMatchObject({
      name: 'datasource',
      type: 'datasource',
      query: 'prometheus',
    });
    for (const panel of panels) {
      expect(panel.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      for (const target of panel.targets ?? [])
        expect(target.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
    }
  });

  it('takes every rate over $__rate_interval, never a fixed window', () => {
    for (const { panel, expr } of panelQueries(overview)) {
      const windows = [...expr.matchAll(/\[([^\]]+)\]/g)].map((match) => match[1]);
      for (const window of windows) expect({ panel, window }).toEqual({ panel, window: '$__rate_interval' });
    }
  });

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

  it('explains every panel and gives it a unique id', () => {
    for (const panel of panels) expect(panel.description?.length ?? 0).toBeGreaterThan(20);
    const ids = overview.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('lays panels on the 24-column grid without overlaps', () => {
    const cells = new Set<string>();
    for (const panel of overview.panels as Panel[]) {
      const { x, y, w, h } = panel.gridPos;
      expect(x + w).toBeLessThanOrEqual(24);
      for (let column = x; column < x + w; column++) {
        for (let line = y; line < y + h; line++) {
          const cell = `${column},${line}`;
          expect(cells.has(cell)).toBe(false);
          cells.add(cell);
        }
      }
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
