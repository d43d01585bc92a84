#!/usr/bin/env node
/**
 * The one step that brings files kept outside the chart into charts/clustache/files/:
 * dashboards, alert rules, the Alertmanager config, the k6 scripts and the traffic mix they
 * import from libs/traffic-mix. Each has one source;
 * the chart holds byte-for-byte copies, because Helm can only read files inside the chart.
 * `--check` changes nothing and fails when a copy differs from its source, is missing, or has
 * no source any more (CI runs it through the deploy-tests project).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Source folder → folder under charts/clustache/files, and which file names to take. */
export const MAPPINGS = [
  {
    from: 'dashboards',
    to: 'dashboards',
    accept: (name) => name.endsWith('.json') && !isProjectConfig(name),
  },
  {
    from: 'alerting/rules',
    to: 'rules',
    accept: (name) => /\.ya?ml$/.test(name) && !/\.test\.ya?ml$/.test(name),
  },
  { from: 'alerting/alertmanager', to: 'alertmanager', accept: (name) => name === 'alertmanager.yml' },
  {
    from: 'loadtest',
    to: 'loadtest',
    accept: (name) => name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.d.ts'),
  },
  // What the k6 scripts import from the library (by path: k6 resolves no package names); the
  // library's index is for Node and stays out.
  {
    from: 'libs/traffic-mix/src',
    to: 'traffic-mix',
    accept: (name) => name.endsWith('.ts') && name !== 'index.ts' && !name.endsWith('.spec.ts'),
  },
];
const FILES_DIR = 'charts/clustache/files';

/** JSON files that configure a folder's Nx project rather than being dashboards. */
function isProjectConfig(name) {
  return (
    name === 'project.json' ||
    name === 'package.json' ||
    /^tsconfig.*\.json$/.test(name) ||
    name.endsWith('.config.json')
  );
}

const USAGE = `Usage: node tools/sync-chart.mjs [--check] [--root DIR] [--help]

Copies into ${FILES_DIR}/:
${MAPPINGS.map((m) => `  ${m.from}/ -> ${FILES_DIR}/${m.to}/`).join('\n')}
and removes copies whose source is gone.

  --check     change nothing; exit 1 and list every difference
  --root DIR  the repository root (default: this script's repository)`;

/** Every difference between the sources and the chart's copies under `root`. */
export function plan(root) {
  const changes = [];
  for (const mapping of MAPPINGS) {
    const sourceDir = join(root, mapping.from);
    const targetDir = join(root, FILES_DIR, mapping.to);
    const sources = listFiles(sourceDir).filter(mapping.accept);
    for (const name of sources) {
      const source = readFileSync(join(sourceDir, name));
      const target = join(targetDir, name);
      if (!existsSync(target))
        changes.push({ kind: 'missing', source: join(sourceDir, name), target, content: source });
      else if (!readFileSync(target).equals(source))
        changes.push({ kind: 'differs', source: join(sourceDir, name), target, content: source });
    }
    for (const name of listFiles(targetDir)) {
      if (!sources.includes(name)) changes.push({ kind: 'stale', target: join(targetDir, name) });
    }
  }
  return changes;
}

/** Applies `plan(root)`; returns the changes made. */
export function sync(root) {
  const changes = plan(root);
  for (const change of changes) {
    if (change.kind === 'stale') {
      rmSync(change.target);
    } else {
      mkdirSync(dirname(change.target), { recursive: true });
      writeFileSync(change.target, change.content);
    }
  }
  return changes;
}

function listFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort();
}

function describe(root, change) {
  const target = relative(root, change.target);
  if (change.kind === 'stale') return `  ${target}: its source is gone`;
  const source = relative(root, change.source);
  return change.kind === 'missing'
    ? `  ${target}: missing (source ${source})`
    : `  ${target}: differs from ${source}`;
}

function main(argv) {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  let root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  let check = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--check') check = true;
    else if (argv[i] === '--root' && argv[i + 1]) root = resolve(argv[++i]);
    else {
      console.error(`sync-chart: unknown argument ${argv[i]}\n\n${USAGE}`);
      return 2;
    }
  }
  if (check) {
    const changes = plan(root);
    if (changes.length === 0) {
      console.log(`sync-chart: ${FILES_DIR} matches its sources`);
      return 0;
    }
    console.error(
      `sync-chart: ${FILES_DIR} has drifted from its sources; run node tools/sync-chart.mjs\n${changes.map((c) => describe(root, c)).join('\n')}`,
    );
    return 1;
  }
  const changes = sync(root);
  console.log(
    changes.length === 0
      ? `sync-chart: ${FILES_DIR} already up to date`
      : `sync-chart: updated\n${changes.map((c) => describe(root, c)).join('\n')}`,
  );
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
