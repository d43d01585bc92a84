import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import type { Reply, Request } from './replica-child';

const REPO_ROOT = resolve(__dirname, '..', '..');
const live = new Set<ChildProcess>();

// Whatever happens to the runner, no replica outlives it (children also exit on disconnect).
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * A replica of the service in its own Node process (`node --import tsx <file>`), driven by
 * request/reply messages over the IPC channel, so multi-replica benchmarks cross real process
 * boundaries: separate event loops, separate Redis connections, separate clocks.
 */
export class ReplicaProcess {
  private nextId = 0;
  private readonly waiting = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (reply: Reply) => {
      const waiter = this.waiting.get(reply.id);
      if (waiter === undefined) return;
      this.waiting.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.result);
      else waiter.reject(new Error(`replica ${name}: ${reply.error}`));
    });
    child.once('exit', (code, signal) => {
      live.delete(child);
      for (const waiter of this.waiting.values())
        waiter.reject(new Error(`replica ${name} exited (${code ?? signal})`));
      this.waiting.clear();
    });
  }

  /** Starts `file` (relative to benchmarks/) and resolves once it listens for requests. */
  static async spawn(file: string, name: string): Promise<ReplicaProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(REPO_ROOT, 'benchmarks', file)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, REPLICA_NAME: name },
    });
    live.add(child);
    const [hello] = (await Promise.race([
      once(child, 'message'),
      once(child, 'exit').then(([code]) =>
        Promise.reject(new Error(`replica ${name} exited with ${code} before starting`)),
      ),
    ])) as [unknown];
    if ((hello as { hello?: boolean }).hello !== true)
      throw new Error(`replica ${name} sent ${JSON.stringify(hello)} first`);
    return new ReplicaProcess(name, child);
  }

  request<T>(command: string, args: unknown = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      const request: Request = { id, command, args };
      this.child.send(request);
    });
  }

  /** Asks the replica to close its caches and exit; kills it if it has not within 5 s. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    this.request('exit').catch(() => undefined);
    await exited;
    clearTimeout(timer);
  }
}

/** Spawns `count` replicas of `file` in parallel. */
export function spawnReplicas(file: string, count: number): Promise<ReplicaProcess[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => ReplicaProcess.spawn(file, `replica-${i + 1}`)));
}

export async function stopAll(replicas: readonly ReplicaProcess[]): Promise<void> {
  await Promise.all(replicas.map((replica) => replica.stop()));
}
