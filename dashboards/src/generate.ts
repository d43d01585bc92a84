import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { format } from 'prettier';
import { DASHBOARDS } from './catalog';
import { DASHBOARDS_DIR } from './files';
import type { Dashboard } from './grafana';

/**
 * Writes each dashboard's JSON next to this project (`dashboards/<file>`), the files the Helm
 * chart embeds verbatim. `--check` writes nothing and fails when a committed file differs from
 * what the TypeScript source generates, so CI catches hand edits and forgotten regenerations.
 */

/** The exact bytes committed for a dashboard: prettier-formatted JSON, so `format:check` agrees. */
export async function render(dashboard: Dashboard): Promise<string> {
  return format(JSON.stringify(dashboard), { parser: 'json', printWidth: 110 });
}

/** Names of the committed files that differ from what the source generates. */
export async function staleFiles(): Promise<string[]> {
  const stale: string[] = [];
  for (const [file, build] of Object.entries(DASHBOARDS)) {
    const committed = await readFile(join(DASHBOARDS_DIR, file), 'utf8').catch(() => '');
    if (committed !== (await render(build()))) stale.push(file);
  }
  return stale;
}

async function main(): Promise<void> {
  if (process.argv.includes('--check')) {
    const stale = await staleFiles();
    if (stale.length > 0) {
      console.error(
        `out of date: ${stale.join(', ')}; run \`npx nx run dashboards:generate\` and commit the result`,
      );
      process.exitCode = 1;
    } else {
      console.log('dashboards are up to date');
    }
    return;
  }
  for (const [file, build] of Object.entries(DASHBOARDS)) {
    await writeFile(join(DASHBOARDS_DIR, file), await render(build()));
    console.log(`wrote dashboards/${file}`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
