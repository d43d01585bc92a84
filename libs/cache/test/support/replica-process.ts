import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

/** The parent's handle on a replica running in a child process (see replica-main.ts). */
export class ReplicaProcess {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(
    readonly replicaId: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (reply: { id: number; result?: unknown; error?: string }) => {
      const waiter = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (reply.error !== undefined) waiter?.reject(new Error(reply.error));
      else waiter?.resolve(reply.result);
    });
  }

  static async start(redisUrl: string, replicaId: string): Promise<ReplicaProcess> {
    const child = fork(join(__dirname, 'replica-main.ts'), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, REDIS_URL: redisUrl, REPLICA_ID: replicaId },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const replica = new ReplicaProcess(replicaId, child);
    const ready = new Promise((resolve, reject) => replica.waiting.set(0, { resolve, reject }));
    await Promise.race([
      ready,
      once(child, 'exit').then(() => Promise.reject(new Error(`${replicaId} exited`))),
    ]);
    return replica;
  }

  call<T>(op: string, key?: string, value?: string): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, op, key, value });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.disconnect();
    await exited;
  }
}
