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

  constructor(args: string[], env: Record<string, string> = {}) {
    this.child = spawn(
      join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
      [join(REPO_ROOT, 'platform', 'src', 'main.ts'), ...args],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
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

  interrupt(): void {
    this.child.kill('SIGINT');
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
