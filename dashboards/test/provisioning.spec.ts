import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DASHBOARDS_DIR, readCommittedDashboards } from '../src/files';
import { DASHBOARDS } from '../src/catalog';
import type { Dashboard, Panel } from '../src/grafana';
import { panelQueries } from '../src/panel-queries';

/** What every generated dashboard promises, checked on the committed JSON Grafana will load. */
describe('the committed dashboards', () => {
  let committed: Map<string, Dashboard>;
  beforeAll(async () => (committed = await readCommittedDashboards()));

  it('are exactly what the TypeScript sources generate, one file per source', async () => {
    expect([...committed.keys()].sort()).toEqual(Object.keys(DASHBOARDS).sort());
    // The generator formats with prettier, which jest cannot load; run it as CI would.
    const tsx = join(DASHBOARDS_DIR, '..', 'node_modules', '.bin', 'tsx');
    const { stdout } = await promisify(execFile)(tsx, [
      join(DASHBOARDS_DIR, 'src', 'generate.ts'),
      '--check',
    ]);
    expect(stdout).toContain('dashboards are up to date');
  });

  describe.each(Object.keys(DASHBOARDS))('%s', (file) => {
    const dashboard = () => committed.get(file)!;
    const panels = () => dashboard().panels.filter((panel) => panel.type !== 'row');

    it('provisions from a file: stable uid, a datasource variable, no import placeholders', () => {
      expect(dashboard().uid).toBe(file.replace(/\.json$/, ''));
      expect(dashboard()).not.toHaveProperty('__inputs');
      expect(dashboard()).not.toHaveProperty('__requires');
      expect(JSON.stringify(dashboard())).not.toContain('DS_PROMETHEUS');
      expect(dashboard().templating.list[0]).toMatchObject({
        name: 'datasource',
        type: 'datasource',
        query: 'prometheus',
      });
      for (const panel of panels()) {
        expect(panel.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
        for (const target of panel.targets ?? [])
          expect(target.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      }
    });

    it('takes every rate over $__rate_interval, never a fixed window', () => {
      for (const { panel, expr } of panelQueries(dashboard())) {
        const windows = [...expr.matchAll(/\[([^\]]+)\]/g)].map((match) => match[1]);
        for (const window of windows)
          expect({ panel, window }).toEqual({ panel, window: '$__rate_interval' });
      }
    });

    it('explains every panel and gives it a unique id', () => {
      for (const panel of panels()) expect(panel.description?.length ?? 0).toBeGreaterThan(20);
      const ids = dashboard().panels.map((panel) => panel.id);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('lays panels on the 24-column grid without overlaps', () => {
      const cells = new Set<string>();
      for (const panel of dashboard().panels as Panel[]) {
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
  });
});
