import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dashboard } from './grafana';

/** Where the generated dashboards live: `dashboards/*.json`, the paths the Helm chart embeds. */
export const DASHBOARDS_DIR = join(__dirname, '..');

/** Every committed dashboard, by file name, as Grafana will load it. */
export async function readCommittedDashboards(): Promise<Map<string, Dashboard>> {
  const files = (await readdir(DASHBOARDS_DIR)).filter(
    (name) => name.endsWith('.json') && name !== 'project.json',
  );
  const dashboards = new Map<string, Dashboard>();
  for (const file of files.sort()) {
    dashboards.set(file, JSON.parse(await readFile(join(DASHBOARDS_DIR, file), 'utf8')) as Dashboard);
  }
  return dashboards;
}
