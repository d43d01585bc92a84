/**
 * What every Clustache task script shares: argument parsing, finding docker/kubectl/helm with a
 * clear message when one is missing, checking that a cluster answers, and running commands with
 * their output shown. Plain Node, no dependencies, so the scripts run from VS Code, a terminal
 * or CI alike, on Linux, macOS and Windows.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHART_DIR = join(REPO_ROOT, 'charts', 'clustache');

/** The release and namespace every script works on; flags and CLUSTACHE_* variables override. */
export const DEFAULTS = {
  release: process.env.CLUSTACHE_RELEASE || 'clustache',
  namespace: process.env.CLUSTACHE_NAMESPACE || 'clustache',
};

/** A failure the user can act on: printed without a stack trace. */
export class UsageError extends Error {}

const INSTALL_HINTS = {
  docker: 'Install Docker Desktop (https://docs.docker.com/desktop/) and start it.',
  kubectl:
    'Install kubectl (https://kubernetes.io/docs/tasks/tools/); Docker Desktop ships one once Kubernetes is enabled (Settings > Kubernetes).',
  helm: 'Install helm (https://helm.sh/docs/intro/install/); on Linux x64, `node tools/install-helm.mjs` puts one in .helm/bin.',
};

/**
 * Parses `--name value`, `--name=value` and `--flag` against `spec` ({name: 'string' | 'boolean'}),
 * plus positional arguments. `--help` is always known.
 */
export function parseArgs(argv, spec) {
  const options = { help: false };
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      options.help = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    const kind = spec[name];
    if (!kind) throw new UsageError(`unknown option --${name}`);
    if (kind === 'boolean') options[name] = true;
    else {
      const value = inline ?? argv[++i];
      if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
      options[name] = value;
    }
  }
  return { options, positional };
}

/** The path of `command` on PATH (PATHEXT on Windows), or undefined. */
export function which(command) {
  const extensions =
    process.platform === 'win32' ? (process.env.PATHEXT || '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (process.env.PATH || '').split(delimiter)) {
    if (!dir) continue;
    for (const extension of extensions) {
      const candidate = join(dir, command + extension);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** docker/kubectl from PATH, or a UsageError saying how to get it. */
export function requireCommand(command) {
  const path = which(command);
  if (!path)
    throw new UsageError(`"${command}" was not found on PATH. ${INSTALL_HINTS[command] ?? ''}`.trim());
  return path;
}

/** helm from PATH, else the project's own .helm/bin/helm, else a UsageError. */
export function requireHelm() {
  const own = join(REPO_ROOT, '.helm', 'bin', process.platform === 'win32' ? 'helm.exe' : 'helm');
  return which('helm') ?? (existsSync(own) ? own : requireCommand('helm'));
}

/** Fails unless the Docker engine answers. */
export function requireDockerEngine(docker) {
  const probe = spawnSync(docker, ['info', '--format', '{{.ServerVersion}}'], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (probe.status !== 0) {
    throw new UsageError(
      `the Docker engine is not reachable (${lastLine(probe.stderr) || 'docker info failed'}). Start Docker Desktop and try again.`,
    );
  }
}

/** Fails unless the current kubectl context's cluster answers; returns the context's name. */
export function requireCluster(kubectl) {
  const context = spawnSync(kubectl, ['config', 'current-context'], { encoding: 'utf8', timeout: 10_000 });
  const name = context.status === 0 ? context.stdout.trim() : '';
  if (!name) {
    throw new UsageError(
      'kubectl has no current context, so no Kubernetes cluster is reachable. Enable Kubernetes in Docker Desktop (Settings > Kubernetes), then: kubectl config use-context docker-desktop',
    );
  }
  const probe = spawnSync(kubectl, ['get', '--raw', '/readyz', '--request-timeout=5s'], {
    encoding: 'utf8',
    timeout: 15_000,
  });
  if (probe.status !== 0) {
    throw new UsageError(
      `no Kubernetes cluster is reachable through kubectl context "${name}" (${lastLine(probe.stderr) || 'no answer'}). ` +
        'Start Docker Desktop with Kubernetes enabled, or switch context: kubectl config use-context docker-desktop',
    );
  }
  return name;
}

/** Runs a command with its output shown; throws when it fails. */
export function run(command, args, options = {}) {
  console.log(`$ ${[command, ...args].map(quote).join(' ')}`);
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    cwd: REPO_ROOT,
    shell: process.platform === 'win32' && /\.(cmd|bat)$/i.test(command),
    ...options,
  });
  if (result.error) throw new UsageError(`cannot run ${command}: ${result.error.message}`);
  if (result.status !== 0)
    throw new UsageError(`${command} ${args[0] ?? ''} failed with exit code ${result.status}`);
  return result;
}

/** Runs a command quietly and returns its stdout; throws with its stderr when it fails. */
export function capture(command, args, options = {}) {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    cwd: REPO_ROOT,
    maxBuffer: 64 * 1024 * 1024,
    ...options,
  });
  if (result.error) throw new UsageError(`cannot run ${command}: ${result.error.message}`);
  if (result.status !== 0)
    throw new UsageError(`${command} ${args.slice(0, 2).join(' ')} failed: ${lastLine(result.stderr)}`);
  return result.stdout;
}

/** npx, as a command spawnSync can start on every platform. */
export function npx() {
  return process.platform === 'win32' ? 'npx.cmd' : 'npx';
}

/**
 * The entry of every script: prints usage on --help (before anything is checked), runs `body`,
 * and turns a UsageError into one line on stderr and exit code 1.
 */
export function main(name, usage, spec, body) {
  try {
    const args = parseArgs(process.argv.slice(2), spec);
    if (args.options.help) {
      console.log(usage);
      return;
    }
    body(args);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${name}: ${error.message}`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}

function lastLine(text) {
  return (text || '').trim().split('\n').filter(Boolean).pop() ?? '';
}

function quote(arg) {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
