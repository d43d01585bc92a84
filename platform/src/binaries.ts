import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The programs the platform runs, found on PATH (or named by an environment variable) before
 * anything starts, so a missing one is reported with the command that installs it instead of
 * as a spawn error halfway through.
 */

export interface Binary {
  /** What the platform calls it. */
  role: 'redis-server' | 'prometheus' | 'alertmanager' | 'redis-exporter';
  /** Names to look for on PATH, first match wins. */
  names: string[];
  /** Environment variable that names the binary explicitly. */
  variable: string;
  /** How to install it on Debian or Ubuntu. */
  install: string;
}

/** tools/system-packages.json: the Debian packages the tests and the platform run, one list. */
const SYSTEM_PACKAGES = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'tools', 'system-packages.json'), 'utf8'),
) as { packages: { package: string; binaries: string[][] }[] };

/** The package of the binary named `name`, and how to install it. */
function installOf(name: string): string {
  const entry = SYSTEM_PACKAGES.packages.find((candidate) =>
    candidate.binaries.some((names) => names.includes(name)),
  );
  if (entry === undefined) throw new Error(`tools/system-packages.json does not list ${name}`);
  return `sudo apt-get install -y ${entry.package}`;
}

/** The names the list gives `name` (a binary may be installed under another). */
function namesOf(name: string): string[] {
  return (
    SYSTEM_PACKAGES.packages.flatMap((entry) => entry.binaries).find((names) => names.includes(name)) ?? [
      name,
    ]
  );
}

const binary = (role: Binary['role'], name: string, variable: string): Binary => ({
  role,
  names: namesOf(name),
  variable,
  install: installOf(name),
});

export const BINARIES: Binary[] = [
  binary('redis-server', 'redis-server', 'REDIS_SERVER_BIN'),
  binary('prometheus', 'prometheus', 'PROMETHEUS_BIN'),
  binary('alertmanager', 'prometheus-alertmanager', 'ALERTMANAGER_BIN'),
  binary('redis-exporter', 'prometheus-redis-exporter', 'REDIS_EXPORTER_BIN'),
];

export type BinaryPaths = Record<Binary['role'], string>;

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function locate(binary: Binary, env: Record<string, string | undefined>): string | undefined {
  const explicit = env[binary.variable];
  if (explicit) return executable(explicit) ? explicit : undefined;
  const dirs = (env['PATH'] ?? '').split(delimiter).filter(Boolean);
  for (const name of binary.names) {
    for (const dir of dirs) {
      if (executable(join(dir, name))) return join(dir, name);
    }
  }
  return undefined;
}

/** A program the platform needs is not installed; the message says how to install each. */
export class MissingBinariesError extends Error {
  override readonly name = 'MissingBinariesError';

  constructor(readonly missing: Binary[]) {
    super(
      `missing ${missing.map((binary) => binary.names[0]).join(', ')}; install with:\n` +
        missing.map((binary) => `  ${binary.install}    (or set ${binary.variable} to its path)`).join('\n'),
    );
  }
}

/** Paths of every binary, or a MissingBinariesError listing all that are missing. */
export function findBinaries(
  roles: Binary['role'][],
  env: Record<string, string | undefined> = process.env,
): BinaryPaths {
  const found: Partial<BinaryPaths> = {};
  const missing: Binary[] = [];
  for (const binary of BINARIES.filter((candidate) => roles.includes(candidate.role))) {
    const path = locate(binary, env);
    if (path === undefined) missing.push(binary);
    else found[binary.role] = path;
  }
  if (missing.length > 0) throw new MissingBinariesError(missing);
  return found as BinaryPaths;
}
