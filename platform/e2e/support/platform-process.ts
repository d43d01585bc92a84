import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { waitFor } from '@clustache/testing';

const REPO_ROOT = join(__dirname, '..', '..', '..');

/**
 * `npm start` as a person runs it, driven from a test: the platform's CLI in its own process
 * group, its output collected, stopped with SIGINT as Ctrl-C would. `kill()` is the safety net
 * that takes the whole group down if a test fails half-way.
 */
export class PlatformProcess {
  output = '';
  private readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  /**
   * @param args the platform's flags
   * @param via `node` runs what `npm start` runs, directly; `npm` runs `npm start -- <args>`, as a person does
   */
  constructor(args: string[], via: 'node' | 'npm' = 'node') {
    const [command, commandArgs] =
      via === 'npm'
        ? ['npm', ['start', '--silent', '--', ...args]]
        : [process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'platform', 'src', 'main.ts'), ...args]];
    this.child = spawn(command, commandArgs, {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = once(this.child, 'exit').then(([code, signal]) => ({
      code: code as number | null,
      signal: signal as NodeJS.Signals | null,
    }));
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Waits until the output matches; fails at once if the platform exits, with its output so far. */
  async waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const exited = this.exited.then(({ code, signal }) => {
      throw new Error(`the platform exited (${signal ?? code}) before printing ${pattern}`);
    });
    try {
      const found = await Promise.race([
        exited,
        waitFor(() => this.output.match(pattern) ?? undefined, {
          timeoutMs,
          intervalMs: 100,
          description: `${pattern}`,
        }),
      ]);
      return found!;
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- platform output ---\n${this.output}`);
    } finally {
      exited.catch(() => undefined);
    }
  }

  /** SIGINT to the platform process only. */
  interrupt(): void {
    this.child.kill('SIGINT');
  }

  /** SIGINT to the whole process group, as Ctrl-C in a terminal does (npm, tsx and every part get it). */
  pressCtrlC(): void {
    process.kill(-this.pid, 'SIGINT');
  }

  /** Kills the platform and everything in its process group at once. */
  kill(): void {
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
