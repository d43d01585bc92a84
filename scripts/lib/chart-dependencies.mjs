/**
 * The umbrella chart's dependencies (kube-prometheus-stack, valkey), fetched only when they are
 * missing: a chart whose charts/ already holds every archive at the version Chart.yaml pins is
 * shipped as it is, with no repository touched, so shipping works offline once it has worked
 * online. Chart.yaml pins exact versions, so Helm's Chart.lock adds nothing and is not kept.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError, run } from './cli.mjs';

/** [{name, version, repository}] of Chart.yaml's dependencies (a small reader: no YAML library). */
export function dependenciesOf(chartDir) {
  const text = readFileSync(join(chartDir, 'Chart.yaml'), 'utf8');
  const section = text.slice(text.search(/^dependencies:/m));
  return section
    .split(/^\s+- name:/m)
    .slice(1)
    .map((entry) => ({
      name: entry.split('\n')[0].trim(),
      version: /^\s+version:\s*['"]?([^'"\s]+)/m.exec(entry)?.[1],
      repository: /^\s+repository:\s*['"]?([^'"\s]+)/m.exec(entry)?.[1],
    }));
}

/** The dependencies whose archive (charts/<name>-<version>.tgz) is not in the chart. */
export function missingDependencies(chartDir) {
  return dependenciesOf(chartDir).filter(
    ({ name, version }) => !existsSync(join(chartDir, 'charts', `${name}-${version}.tgz`)),
  );
}

/** A local repository name for a URL: "clustache-" and its host's first label. */
export function repositoryName(url) {
  return `clustache-${new URL(url).hostname.split('.')[0]}`;
}

/**
 * Makes charts/ hold every dependency. Does nothing when none is missing; else adds the
 * repositories Helm does not know yet (which downloads their indexes) and runs `helm dependency
 * update` on the cached indexes, refreshing them only if a pinned version is not there yet.
 * Returns the names it fetched.
 */
export function ensureDependencies(helm, chartDir) {
  const missing = missingDependencies(chartDir);
  if (missing.length === 0) {
    console.log(`Dependencies present in ${join(chartDir, 'charts')}: no repository needed.`);
    return [];
  }
  const known = knownRepositoryUrls(helm);
  for (const url of new Set(missing.map((dependency) => dependency.repository))) {
    if (!known.has(url.replace(/\/+$/, ''))) run(helm, ['repo', 'add', repositoryName(url), url]);
  }
  const cached = spawnSync(helm, ['dependency', 'update', '--skip-refresh', chartDir], { stdio: 'inherit' });
  if (cached.status !== 0) run(helm, ['dependency', 'update', chartDir]);
  rmSync(join(chartDir, 'Chart.lock'), { force: true });
  const still = missingDependencies(chartDir);
  if (still.length > 0)
    throw new UsageError(
      `helm did not fetch ${still.map((d) => `${d.name} ${d.version}`).join(', ')}; check the network and run: ${helm} repo update`,
    );
  return missing.map((dependency) => dependency.name);
}

function knownRepositoryUrls(helm) {
  const list = spawnSync(helm, ['repo', 'list', '--output', 'json'], { encoding: 'utf8' });
  // helm exits 1 with "no repositories to show" before the first `helm repo add`.
  if (list.status !== 0) return new Set();
  return new Set(JSON.parse(list.stdout || '[]').map((repo) => repo.url.replace(/\/+$/, '')));
}
