import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dashboard } from './grafana';

/** Where the generated dashboards live: `dashboards/*.json`, the paths the Helm chart embeds. */
export const DASHBOARDS_DIR = join(__dirname, '..');

/** Every committed dashboard, by file name, as Grafana will load it. */
export async function readCommittedDashboards(): Promise<Map<string, Dashboard>> {
  const files = (await readdir(DASHBOARDS_DIR)).filter(isDashboardFile);
  const dashboards = new Map<string, Dashboard>();
  for (const file of files.sort()) {
    dashboards.set(file, JSON.parse(await readFile(join(DASHBOARDS_DIR, file), 'utf8')) as Dashboard);
  }
  return dashboards;
}

/** A dashboard's file, not the project's own JSON (project.json, tsconfig*.json): what the chart sync copies. */
export function isDashboardFile(name: string): boolean {
  return (
    name.endsWith('.json') &&
    name !== 'project.json' &&
    name !== 'package.json' &&
    !/^tsconfig.*\.json$/.test(name)
  );
}
