import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PanelLike } from './panel-queries';

/**
 * The seed's own dashboard (seed 000: the Grafana JSON Clustache started from). Its panel titles
 * and queries are kept in `dashboards/seed/seed-000-panels.json` so tests prove it still shows
 * data against our metrics on any machine; where the seeds folder is beside the repository
 * (`../shared/seeds`, or `CLUSTACHE_SEEDS_DIR`), a test checks that copy against the seed itself.
 */

export const SEEDS_DIR =
  process.env['CLUSTACHE_SEEDS_DIR'] ?? join(__dirname, '..', '..', '..', 'shared', 'seeds');

export const SEED_PANELS_FILE = join(__dirname, '..', 'seed', 'seed-000-panels.json');

type SeedDashboard = { title: string; panels: PanelLike[] };

/** The seed dashboard's panels, from the kept copy. */
export async function readSeedDashboard(): Promise<SeedDashboard> {
  return JSON.parse(await readFile(SEED_PANELS_FILE, 'utf8')) as SeedDashboard;
}

/** The seed dashboard as written in the seed, or undefined where the seeds folder is absent. */
export async function readSeedDashboardFromSeeds(seedsDir = SEEDS_DIR): Promise<SeedDashboard | undefined> {
  const files = await readdir(seedsDir).catch(() => undefined);
  const file = files?.find((name) => name.startsWith('000_') && name.endsWith('.txt'));
  if (file === undefined) return undefined;
  const text = await readFile(join(seedsDir, file), 'utf8');
  const json = /```\s*\n(\{[\s\S]*?\n\})\s*\n```/.exec(text);
  if (json === null) throw new Error(`no dashboard JSON block in ${file}`);
  return JSON.parse(json[1]!) as SeedDashboard;
}
