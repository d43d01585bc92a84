import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './paths';

const run = promisify(execFile);
const PROJECT_HELM = join(REPO_ROOT, '.helm', 'bin', 'helm');
let resolved: string | undefined;

/**
 * The helm to test with: `helm` on PATH, else the project's own in .helm/bin, installed by
 * tools/install-helm.mjs when missing (CI machines have no helm).
 */
export function helmBinary(): string {
  if (resolved) return resolved;
  for (const candidate of ['helm', PROJECT_HELM]) {
    if (candidate === PROJECT_HELM && !existsSync(PROJECT_HELM)) continue;
    try {
      execFileSync(candidate, ['version', '--short'], { stdio: 'ignore' });
      return (resolved = candidate);
    } catch {
      // not there or not runnable: try the next one
    }
  }
  execFileSync(process.execPath, [join(REPO_ROOT, 'tools', 'install-helm.mjs')], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return (resolved = PROJECT_HELM);
}

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs helm; never throws for a non-zero exit (the caller asserts on `code`). */
export async function helm(args: string[], options: { cwd?: string } = {}): Promise<HelmResult> {
  try {
    const { stdout, stderr } = await run(helmBinary(), args, {
      cwd: options.cwd ?? REPO_ROOT,
      maxBuffer: 64 * 1024 * 1024,
      // No kube context: nothing here may reach a cluster.
      env: {
        ...process.env,
        KUBECONFIG: '/dev/null',
        HELM_CACHE_HOME: join(REPO_ROOT, '.helm', 'cache'),
        HELM_CONFIG_HOME: join(REPO_ROOT, '.helm', 'config'),
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failure.code === 'number' ? failure.code : 1,
      stdout: failure.stdout ?? '',
      stderr: failure.stderr ?? String(error),
    };
  }
}
