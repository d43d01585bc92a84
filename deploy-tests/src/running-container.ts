import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { podman, podmanArgs } from './container-store';

/**
 * One of our images running under podman the way the chart runs it in Kubernetes: as uid 1000,
 * read-only root filesystem with a tmpfs /tmp (the chart's emptyDir), all capabilities dropped,
 * no privilege escalation; host networking, so it reaches a redis-server on loopback and the test
 * reaches its PORT. `podman run` stays attached: its exit code is the container's.
 */
export class RunningContainer {
  output = '';
  readonly exited: Promise<number | null>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = once(child, 'exit').then(([code]) => code as number | null);
  }

  /** Starts `image` with `env` (and nothing else from the test's environment). */
  static start(image: string, env: Record<string, string>): RunningContainer {
    const name = `clustache-test-${randomBytes(4).toString('hex')}`;
    const args = podmanArgs([
      'run',
      '--rm',
      '--name',
      name,
      '--pull=never',
      '--network',
      'host',
      '--user',
      '1000:1000',
      '--read-only',
      '--read-only-tmpfs=false',
      '--tmpfs',
      '/tmp',
      '--cap-drop',
      'all',
      '--security-opt',
      'no-new-privileges',
      // Its HEALTHCHECK would need systemd timers; the test runs the check itself (exec).
      '--no-healthcheck',
      ...ulimits(),
      ...Object.entries(env).flatMap(([key, value]) => ['--env', `${key}=${value}`]),
      image,
    ]);
    return new RunningContainer(name, spawn('podman', args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Runs a command inside the container (as its user): its exit code and what it printed. */
  async exec(command: string[]): Promise<{ code: number; output: string }> {
    try {
      const { stdout, stderr } = await podman(['exec', this.name, ...command]);
      return { code: 0, output: stdout + stderr };
    } catch (error) {
      const failure = (error as Error).cause as { code?: unknown; stdout?: string; stderr?: string };
      return {
        code: typeof failure?.code === 'number' ? failure.code : -1,
        output: `${failure?.stdout ?? ''}${failure?.stderr ?? ''}`,
      };
    }
  }

  /** Stops it as Kubernetes stops a pod (SIGTERM, SIGKILL after `graceSeconds`); resolves with the exit code. */
  async stop(graceSeconds = 20): Promise<number | null> {
    if (this.running)
      await podman(['stop', '--time', String(graceSeconds), this.name], (graceSeconds + 30) * 1000);
    return this.exited;
  }

  /** Cleanup: removes the container whatever its state. */
  async remove(): Promise<void> {
    await podman(['rm', '--force', '--ignore', '--time', '0', this.name]).catch(() => undefined);
    if (this.running) this.child.kill('SIGKILL');
  }
}

/**
 * runc sets the container's rlimits from outside (prlimit), and without CAP_SYS_RESOURCE (as in
 * this sandbox) it may not raise them above the caller's own hard limits, which podman's
 * defaults (nofile 1048576, nproc 32768) can exceed. Ask for the caller's own hard limits.
 */
function ulimits(): string[] {
  const limits = readFileSync('/proc/self/limits', 'utf8');
  const hard = (name: string): number => {
    const value = new RegExp(`^${name}\\s+\\S+\\s+(\\S+)`, 'm').exec(limits)?.[1];
    return value === undefined || value === 'unlimited' ? 65_536 : Math.min(Number(value), 65_536);
  };
  const nofile = hard('Max open files');
  // podman's conmon runs with a lower process limit than its caller (32768 seen here) and runc
  // cannot raise the container's above it: ask for what one Node process needs.
  const nproc = Math.min(hard('Max processes'), 4096);
  return ['--ulimit', `nofile=${nofile}:${nofile}`, '--ulimit', `nproc=${nproc}:${nproc}`];
}
