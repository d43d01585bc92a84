import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import type { CacheOptions, Loader, Lookup, WriteResult } from '../../src';
import type { RecoveryCounters } from './recovery-counters';
import type { Command, Loaded, Reply } from './remote-replica-main';

/** The JSON-able part of the options a replica process is created with. */
export type RemoteOptions = Omit<CacheOptions, 'redis' | 'registry' | 'logger' | 'l1' | 'bus'> & {
  redis: string;
  bus?: Omit<NonNullable<CacheOptions['bus']>, 'wrapTransport'>;
};

/**
 * The parent's handle on a fault-table replica running in a child process (remote-replica-main.ts),
 * for the faults that take a whole process: pausing it (`SIGSTOP`, as a long GC pause or a
 * throttled container would) and giving it a skewed clock. It reads and writes like an
 * in-process cache, so the workload and its checker treat it as one more replica; its loader
 * reads the parent's source of record, the loader the workload passed in.
 */
export class RemoteReplica {
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private loader: Loader<number> = () => undefined;
  private paused = false;

  private constructor(
    readonly replicaId: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (reply: Reply) => {
      if ('load' in reply) {
        this.answerLoad(reply.load, reply.key);
        return;
      }
      const waiter = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (reply.error !== undefined) waiter?.reject(new Error(reply.error));
      else waiter?.resolve(reply.result);
    });
    child.on('exit', (code, signal) => {
      for (const waiter of this.waiting.values())
        waiter.reject(new Error(`${replicaId} exited (${code ?? signal})`));
      this.waiting.clear();
    });
  }

  /** Starts the process and resolves once its cache is ready; `clockSkewMs` sets its clock that far ahead (negative: behind). */
  static async start(
    options: RemoteOptions,
    { clockSkewMs }: { clockSkewMs?: number } = {},
  ): Promise<RemoteReplica> {
    const replicaId = options.replicaId ?? 'remote';
    const preload = clockSkewMs === undefined ? [] : ['--import', join(__dirname, 'skewed-clock.ts')];
    const child = fork(join(__dirname, 'remote-replica-main.ts'), [], {
      execArgv: ['--import', 'tsx', ...preload],
      env: {
        ...process.env,
        CACHE_OPTIONS: JSON.stringify({ ...options, replicaId }),
        ...(clockSkewMs === undefined ? {} : { CLOCK_SKEW_MS: String(clockSkewMs) }),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const replica = new RemoteReplica(replicaId, child);
    const ready = new Promise((resolve, reject) => replica.waiting.set(0, { resolve, reject }));
    try {
      await ready;
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    return replica;
  }

  lookup(key: string, loader: Loader<number>): Promise<Lookup<number>> {
    this.loader = loader;
    return this.call({ op: 'lookup', key });
  }

  set(key: string, value: number): Promise<WriteResult> {
    return this.call({ op: 'set', key, value });
  }

  delete(key: string): Promise<WriteResult> {
    return this.call({ op: 'delete', key });
  }

  counters(): Promise<RecoveryCounters> {
    return this.call({ op: 'counters' });
  }

  /** The child's two wall clocks (`Date.now()`, `performance.timeOrigin + now()`), to check a skew took. */
  clock(): Promise<{ now: number; wallClock: number }> {
    return this.call({ op: 'clock' });
  }

  /** Stops the process (`SIGSTOP`): it runs nothing, and answers nothing, until `resume`. */
  pause(): void {
    this.paused = this.child.kill('SIGSTOP');
  }

  resume(): void {
    if (this.paused) this.child.kill('SIGCONT');
    this.paused = false;
  }

  /** Lets the child close its cache and exit; kills it if it has not within 5 s. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.resume();
    const exited = once(this.child, 'exit');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    if (this.child.connected) this.child.disconnect();
    else this.child.kill('SIGKILL');
    await exited;
    clearTimeout(timer);
  }

  private call<T>(command: Omit<Command, 'id'>): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      if (!this.child.connected) return reject(new Error(`${this.replicaId} is not running`));
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ id, ...command });
    });
  }

  /** The child's loader asked for `key`: read the source of record with the loader the workload passed. */
  private answerLoad(load: number, key: string): void {
    const reply = (answer: Omit<Loaded, 'loaded'>) => {
      if (this.child.connected) this.child.send({ loaded: load, ...answer });
    };
    Promise.resolve()
      .then(() => this.loader(key))
      .then(
        (value) => reply(value === undefined ? {} : { value }),
        (error: Error) => reply({ error: error.message }),
      );
  }
}
