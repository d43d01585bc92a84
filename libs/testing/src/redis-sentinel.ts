import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisServer } from './redis-server';
import { waitFor } from './wait-for';

/**
 * A real Redis Sentinel (`redis-server <conf> --sentinel`) watching one master, owned by a test.
 * Sentinel rewrites its config file as it learns, so the file lives in its own temporary directory.
 */
export class RedisSentinel {
  private constructor(
    readonly server: RedisServer,
    /** The monitored master's name, the `name` option of a Sentinel client. */
    readonly masterName: string,
    private readonly dir: string,
  ) {}

  static async start(master: RedisServer, masterName = 'mymaster'): Promise<RedisSentinel> {
    const dir = await mkdtemp(join(tmpdir(), 'clustache-sentinel-'));
    const config = join(dir, 'sentinel.conf');
    await writeFile(
      config,
      [
        `sentinel monitor ${masterName} 127.0.0.1 ${master.port} 1`,
        `sentinel down-after-milliseconds ${masterName} 1000`,
        `sentinel failover-timeout ${masterName} 5000`,
      ].join('\n') + '\n',
    );
    let server: RedisServer;
    try {
      server = await RedisServer.start({ config, args: ['--sentinel', '--dir', dir] });
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    const sentinel = new RedisSentinel(server, masterName, dir);
    try {
      await waitFor(async () => (await sentinel.masterAddress())?.[1] === String(master.port), {
        timeoutMs: 10_000,
        description: `sentinel knows master ${masterName}`,
      });
    } catch (error) {
      await sentinel.stop();
      throw error;
    }
    return sentinel;
  }

  /** Sentinel addresses for a client's `sentinels` option. */
  get sentinels(): { host: string; port: number }[] {
    return [{ host: '127.0.0.1', port: this.server.port }];
  }

  /** `[host, port]` of the master as this sentinel sees it. */
  async masterAddress(): Promise<[string, string] | undefined> {
    const client = this.server.client();
    client.on('error', () => undefined);
    try {
      const reply = await client.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', this.masterName);
      return (reply as [string, string] | null) ?? undefined;
    } finally {
      client.disconnect();
    }
  }

  /** How many replicas of the master this sentinel has discovered. */
  async knownReplicas(): Promise<number> {
    const client = this.server.client();
    client.on('error', () => undefined);
    try {
      return ((await client.call('SENTINEL', 'REPLICAS', this.masterName)) as unknown[]).length;
    } finally {
      client.disconnect();
    }
  }

  /** This sentinel's flags for the replica on `port` (`slave` when up), undefined when it does not know it. */
  async replicaFlags(port: number): Promise<string | undefined> {
    const client = this.server.client();
    client.on('error', () => undefined);
    try {
      const replicas = (await client.call('SENTINEL', 'REPLICAS', this.masterName)) as string[][];
      for (const fields of replicas) {
        const field = (name: string) => fields[fields.indexOf(name) + 1];
        if (field('port') === String(port)) return field('flags');
      }
      return undefined;
    } finally {
      client.disconnect();
    }
  }

  async stop(): Promise<void> {
    await this.server.kill();
    await rm(this.dir, { recursive: true, force: true });
  }
}
