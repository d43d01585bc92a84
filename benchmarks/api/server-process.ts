import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * A server under test in its own process, so the load generator (this process) and the server
 * never share an event loop. Ready once `readyPath` answers 200.
 */
export class ServerProcess {
  private output = '';

  private constructor(
    readonly name: string,
    readonly url: string,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  static async start(
    name: string,
    args: string[],
    port: number,
    env: Record<string, string>,
    readyPath: string,
  ): Promise<ServerProcess> {
    const child = spawn(process.execPath, args, {
      env: { ...process.env, NODE_ENV: 'production', ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new ServerProcess(name, `http://127.0.0.1:${port}`, child);
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`${name} exited with ${child.exitCode}:\n${server.output}`);
      const status = await fetch(server.url + readyPath).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) return server;
      if (Date.now() > deadline) throw new Error(`${name} not ready after 30 s:\n${server.output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  get pid(): number {
    return this.child.pid!;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}
