import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PanelLike } from './panel-queries';

/**
 * The seed's own dashboard (seed 000: the Grafana JSON Clustache started from), read from the
 * seeds folder beside the repository (`../shared/seeds`, or `CLUSTACHE_SEEDS_DIR`). It is never
 * copied into the repository; tests read it to prove it still shows data against our metrics.
 */

export const SEEDS_DIR =
  process.env['CLUSTACHE_SEEDS_DIR'] ?? join(__dirname, '..', '..', '..', 'shared', 'seeds');

export async function readSeedDashboard(
  seedsDir = SEEDS_DIR,
): Promise<{ title: string; panels: PanelLike[] }> {
  const files = await readdir(seedsDir).catch(() => {
    throw new Error(
      `the seeds folder ${seedsDir} is missing; set CLUSTACHE_SEEDS_DIR to the folder holding 000_*.txt`,
    );
  });
  const file = files.find((name) => name.startsWith('000_') && name.endsWith('.txt'));
  if (file === undefined) throw new Error(`no 000_*.txt seed in ${seedsDir}`);
  const text = await readFile(join(seedsDir, file), 'utf8');
  const json = /```\s*\n(\{[\s\S]*?\n\})\s*\n```/.exec(text);
  if (json === null) throw new Error(`no dashboard JSON block in ${file}`);
  return JSON.parse(json[1]!) as { title: string; panels: PanelLike[] };
}
