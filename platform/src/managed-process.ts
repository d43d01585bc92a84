import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { waitFor } from '@clustache/testing';

export interface ProcessSpec {
  /** Shown in progress and logs, e.g. "api-2". */
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** stdout and stderr go here (appended across restarts). */
  logFile: string;
  /** True once the process serves; polled after each start. */
  ready: () => Promise<boolean>;
  /** @default 30_000 */
  readyTimeoutMs?: number;
}

export interface SupervisionEvents {
  exited(name: string, description: string, restartInMs: number | undefined): void;
  restarted(name: string): void;
}

/** How often a starting process's readiness is probed. */
const READY_POLL_MS = 100;
const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30_000;
/** A process that ran this long before exiting starts again from the first backoff. */
const HEALTHY_RUN_MS = 60_000;
const STOP_GRACE_MS = 5000;

/**
 * One child process of the platform, supervised: started and waited for until ready, restarted
 * with a doubling backoff when it exits on its own, and stopped with SIGTERM then SIGKILL, only
 * resolving once the process is gone, so nothing it held (ports, files) outlives `stop()`.
 */
export class ManagedProcess {
  private child: ChildProcess | undefined;
  private log: WriteStream | undefined;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  /** Stops polling the readiness of a restarted process when it is stopped. */
  private restartPolling: AbortController | undefined;
  private backoffMs = FIRST_BACKOFF_MS;
  private startedAt = 0;
  /** Resolves once a child has exited and its output pipes are drained and closed. */
  private readonly closed = new WeakMap<ChildProcess, Promise<unknown>>();

  constructor(
    readonly spec: ProcessSpec,
    private readonly events: SupervisionEvents,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Starts the process and resolves once it is ready; rejects (with its log's tail) if it exits or times out first. */
  async start(): Promise<void> {
    this.stopping = false;
    const child = this.spawn();
    const exited = once(child, 'exit').then(([code, signal]) => {
      throw new Error(`${this.spec.name} exited (${describeExit(code, signal)}) while starting`);
    });
    exited.catch(() => undefined);
    // Readiness stops being polled once the race is over: a process that exited at once must not
    // leave a probe running for the rest of the timeout.
    const polling = new AbortController();
    const ready = waitFor(this.spec.ready, {
      timeoutMs: this.spec.readyTimeoutMs ?? 30_000,
      intervalMs: READY_POLL_MS,
      description: `${this.spec.name} to be ready`,
      signal: polling.signal,
    });
    ready.catch(() => undefined);
    try {
      await Promise.race([exited, ready]);
    } catch (error) {
      await this.stop();
      throw new Error(
        `${(error as Error).message}\n--- last lines of ${this.spec.logFile} ---\n${await this.logTail()}`,
      );
    } finally {
      polling.abort();
    }
  }

  /** Stops the process (and any pending restart); resolves when it has exited. Safe to call twice. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.restartPolling?.abort();
    const child = this.child;
    if (child !== undefined) {
      // Bounded: a grandchild holding the pipes must not hold up the whole stop.
      const closed = Promise.race([
        this.closed.get(child),
        delay(STOP_GRACE_MS + 2000, undefined, { ref: false }),
      ]);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await closed;
        clearTimeout(timer);
      } else {
        await closed;
      }
    }
    this.child = undefined;
    await this.closeLog();
  }

  /** Kills the process at once (SIGKILL), as a crash would; supervision restarts it. */
  crash(): void {
    this.child?.kill('SIGKILL');
  }

  private spawn(): ChildProcess {
    if (this.log === undefined) {
      this.log = createWriteStream(this.spec.logFile, { flags: 'a' });
      this.log.on('error', () => undefined); // a log that cannot be written must not take the platform down
    }
    const child = spawn(this.spec.command, this.spec.args, {
      cwd: this.spec.cwd,
      env: { ...process.env, ...this.spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.closed.set(
      child,
      once(child, 'close').catch(() => undefined),
    );
    child.stdout?.on('data', (chunk: Buffer) => this.writeLog(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.writeLog(chunk));
    child.once('error', (error) =>
      this.writeLog(`[platform] cannot start ${this.spec.command}: ${error.message}\n`),
    );
    child.once('exit', (code, signal) => this.onExit(child, code, signal));
    this.child = child;
    this.startedAt = Date.now();
    return child;
  }

  private writeLog(chunk: Buffer | string): void {
    if (this.log !== undefined && !this.log.writableEnded) this.log.write(chunk);
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = undefined;
    const description = describeExit(code, signal);
    this.writeLog(`[platform] ${this.spec.name} exited (${description})\n`);
    // Ctrl-C reaches the children too; give the platform's own handler a moment to say it is stopping.
    setTimeout(() => {
      if (this.stopping) return;
      if (Date.now() - this.startedAt > HEALTHY_RUN_MS) this.backoffMs = FIRST_BACKOFF_MS;
      const delay = this.backoffMs;
      this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
      this.events.exited(this.spec.name, description, delay);
      this.restartTimer = setTimeout(() => this.restart(), delay);
    }, 200);
  }

  private restart(): void {
    this.restartTimer = undefined;
    if (this.stopping) return;
    this.spawn();
    this.restartPolling = new AbortController();
    waitFor(this.spec.ready, {
      timeoutMs: this.spec.readyTimeoutMs ?? 30_000,
      intervalMs: READY_POLL_MS,
      description: this.spec.name,
      signal: this.restartPolling.signal,
    }).then(
      () => this.events.restarted(this.spec.name),
      () => undefined,
    );
  }

  private async closeLog(): Promise<void> {
    const log = this.log;
    this.log = undefined;
    if (log !== undefined) await new Promise<void>((resolve) => log.end(resolve));
  }

  private async logTail(lines = 20): Promise<string> {
    const text = await readFile(this.spec.logFile, 'utf8').catch(() => '');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  }
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal !== null ? `signal ${signal}` : `code ${code}`;
}
