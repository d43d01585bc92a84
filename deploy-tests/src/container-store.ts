import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './paths';

const run = promisify(execFile);

/**
 * The project's own containers store (gitignored), shared by buildah and podman and kept between
 * runs so the stand-in base image is made once. vfs needs no overlay mounts; runc because crun
 * fails on this machine's hybrid cgroups.
 */
const STORAGE_ROOT = join(REPO_ROOT, '.containers', 'storage');
const RUN_ROOT = join(REPO_ROOT, '.containers', 'run');
const STORE = ['--root', STORAGE_ROOT, '--runroot', RUN_ROOT, '--storage-driver', 'vfs'];
/** podman's own state (exit files) beside the store, so it never meets another podman's; no event log. */
const PODMAN_GLOBALS = [
  ...STORE,
  '--tmpdir',
  join(RUN_ROOT, 'libpod'),
  '--runtime',
  'runc',
  '--cgroup-manager',
  'cgroupfs',
  '--events-backend',
  'none',
];

export interface ToolResult {
  stdout: string;
  stderr: string;
}

/**
 * Checks that buildah, podman and runc are installed and fails with what to install: these tests
 * are proof, not optional, so a machine that cannot run them must fail them.
 */
export function requireContainerTools(): void {
  const missing = ['buildah', 'podman', 'runc'].filter((tool) => {
    try {
      execFileSync(tool, ['--version'], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0) {
    throw new Error(
      `${missing.join(', ')} not installed: the image tests build and run real containers ` +
        `(Debian: apt-get install buildah podman runc; .ci/run installs them)`,
    );
  }
}

/** Runs buildah on the project's store; a failure throws with buildah's output. */
export function buildah(args: string[], timeoutMs = 300_000): Promise<ToolResult> {
  return tool('buildah', [...STORE, ...args], timeoutMs);
}

/** Runs podman on the project's store; a failure throws with podman's output. */
export function podman(args: string[], timeoutMs = 60_000): Promise<ToolResult> {
  return tool('podman', [...PODMAN_GLOBALS, ...args], timeoutMs);
}

/** The arguments that put `podman` on the project's store (for a podman the caller spawns itself). */
export function podmanArgs(args: string[]): string[] {
  return [...PODMAN_GLOBALS, ...args];
}

async function tool(binary: string, args: string[], timeoutMs: number): Promise<ToolResult> {
  try {
    return await run(binary, args, {
      maxBuffer: 64 * 1024 * 1024,
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; message?: string };
    const output = `${failure.stdout ?? ''}${failure.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`${binary} ${args.join(' ')} failed\n${output || failure.message}`, { cause: error });
  }
}

/**
 * Makes (or finds, when its inputs did not change) the stand-in for the Dockerfile's Node base
 * image with tools/standin-node-image.mjs; returns the name it is tagged with.
 */
export async function standinBaseImage(dockerfile: string): Promise<string> {
  const maker = join(REPO_ROOT, 'tools', 'standin-node-image.mjs');
  const { stdout } = await tool(
    process.execPath,
    [maker, '--dockerfile', dockerfile, '--root', STORAGE_ROOT, '--runroot', RUN_ROOT],
    600_000,
  );
  return stdout.trim().split('\n').at(-1)!;
}

export interface BuiltImage {
  image: string;
  /** Wall-clock seconds of `buildah bud`. */
  buildSeconds: number;
}

/**
 * Builds an image from a copy of a pruned build context (dist/image/apps/<app>, which a concurrent
 * `image-prune` may re-stage), the way `docker build` builds it for "Build image": its own
 * Dockerfile, Docker format (OCI would drop HEALTHCHECK), base image from the store only,
 * host network so `npm ci` reaches the registry.
 */
export async function buildImage(contextDir: string, image: string): Promise<BuiltImage> {
  const context = mkdtempSync(join(tmpdir(), 'clustache-context-'));
  try {
    cpSync(contextDir, context, { recursive: true });
    const started = process.hrtime.bigint();
    await buildah([
      'bud',
      '--isolation',
      'oci',
      '--runtime',
      'runc',
      '--network',
      'host',
      '--pull=never',
      '--format',
      'docker',
      '--tag',
      image,
      '--file',
      join(context, 'Dockerfile'),
      context,
    ]);
    return { image, buildSeconds: Number(process.hrtime.bigint() - started) / 1e9 };
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

/** What `docker inspect` shows of an image that the tests check. */
export interface ImageFacts {
  sizeBytes: number;
  user: string;
  cmd: string[];
  healthcheck: string[];
  env: string[];
}

export async function inspectImage(image: string): Promise<ImageFacts> {
  const { stdout } = await podman(['image', 'inspect', image]);
  const [facts] = JSON.parse(stdout) as Array<{
    Size: number;
    Config: { User?: string; Cmd?: string[]; Env?: string[] };
    Healthcheck?: { Test?: string[] };
  }>;
  return {
    sizeBytes: facts!.Size,
    user: facts!.Config.User ?? '',
    cmd: facts!.Config.Cmd ?? [],
    healthcheck: facts!.Healthcheck?.Test ?? [],
    env: facts!.Config.Env ?? [],
  };
}

/** Where the tests tag what they build: a fresh name per run, removed when the run ends. */
const TEST_REPOSITORY = 'localhost/clustache-test';

export function testImageName(app: string): string {
  return `${TEST_REPOSITORY}/${app}:${randomBytes(4).toString('hex')}`;
}

/** Removes an image the tests built (the stand-in base stays, as the cache). */
export async function removeImage(image: string): Promise<void> {
  await buildah(['rmi', '--force', image]).catch(() => undefined);
}

/**
 * Removes test images left by runs that were killed before their cleanup (over an hour old, so
 * never a concurrent run's): in vfs each costs a full copy of its root filesystem.
 */
export async function removeStaleTestImages(): Promise<void> {
  const { stdout } = await podman([
    'images',
    '--filter',
    `reference=${TEST_REPOSITORY}/*`,
    '--filter',
    'until=1h',
    '--format',
    '{{.ID}}',
  ]);
  const ids = [...new Set(stdout.split('\n').filter(Boolean))];
  if (ids.length > 0) await buildah(['rmi', '--force', ...ids]).catch(() => undefined);
}
