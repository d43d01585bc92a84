import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import Redis from 'ioredis';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

export interface RedisServerOptions {
  /** Port to listen on. @default a free port */
  port?: number;
  /** Extra `redis-server` arguments, e.g. `['--cluster-enabled', 'yes']`. @default [] */
  args?: string[];
  /** The binary. @default process.env.REDIS_SERVER_BIN ?? 'redis-server' */
  binary?: string;
  /** A config file, passed before the other arguments (a Sentinel needs one it can rewrite). @default none */
  config?: string;
  /**
   * The directory persistence files go to (`--dir`); it must exist, and the caller removes it.
   * Persistence stays off unless `args` turn it on (`['--appendonly', 'yes']`): then a restart
   * reloads what was written. @default the test's working directory (nothing is written there)
   */
  dir?: string;
}

/**
 * A real `redis-server` process owned by a test: started on a free loopback port with no
 * persistence (unless its options turn it on), and able to be killed and restarted on the same
 * port to inject outages.
 */
export class RedisServer {
  private child: ChildProcess | undefined;
  /** Without `dir`: a fresh empty directory per start, so nothing is ever loaded from disk. */
  private scratch: string | undefined;

  private constructor(
    readonly port: number,
    private readonly binary: string,
    private readonly args: string[],
    private readonly config: string | undefined,
    private readonly dir: string | undefined,
  ) {}

  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const server = new RedisServer(
      options.port ?? (await freePort()),
      options.binary ?? process.env['REDIS_SERVER_BIN'] ?? 'redis-server',
      options.args ?? [],
      options.config,
      options.dir,
    );
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Starts the process (again) on the same port and resolves once it answers PING. */
  async restart(): Promise<void> {
    if (this.child) throw new Error(`redis-server on ${this.port} is already running`);
    const config = this.config === undefined ? [] : [this.config];
    // A replica's full sync writes an RDB file even with persistence off, and a server loads any
    // dump.rdb it finds at start: each start without `dir` gets an empty directory of its own.
    this.removeScratch();
    if (this.dir === undefined) this.scratch = mkdtempSync(join(tmpdir(), 'clustache-redis-'));
    const dir = this.dir ?? this.scratch!;
    const child = spawn(
      this.binary,
      [
        ...config,
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        ...this.args,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], cwd: dir },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const spawnFailure = new Promise<never>((_, reject) => {
      child.once('error', (error) => reject(new Error(`cannot start ${this.binary}: ${error.message}`)));
      child.once('exit', (code) => reject(new Error(`${this.binary} exited with ${code}: ${stderr}`)));
    });
    spawnFailure.catch(() => undefined);
    this.child = child;
    try {
      await Promise.race([
        spawnFailure,
        waitFor(() => this.ping(), { timeoutMs: 10_000, description: `redis-server on ${this.port}` }),
      ]);
    } catch (error) {
      this.child = undefined;
      child.kill('SIGKILL');
      throw error;
    }
  }

  /** Kills the process abruptly (SIGKILL), as a crash or a node loss would. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    }
    this.removeScratch();
  }

  private removeScratch(): void {
    if (this.scratch !== undefined) rmSync(this.scratch, { recursive: true, force: true });
    this.scratch = undefined;
  }

  /** A new client to this server; the caller quits it. */
  client(): Redis {
    return new Redis(this.port, '127.0.0.1', { lazyConnect: false, maxRetriesPerRequest: 1 });
  }

  private async ping(): Promise<boolean> {
    const client = new Redis(this.port, '127.0.0.1', {
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
      disconnectTimeout: 0, // a refused probe must not leave a 2 s timer behind
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  }
}
