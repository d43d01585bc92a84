import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { freePort } from './free-port';
import { RedisServer } from './redis-server';
import { waitFor } from './wait-for';

const run = promisify(execFile);

export interface RedisClusterOptions {
  /** @default 3 (the fewest Redis Cluster accepts) */
  masters?: number;
  /** Replicas of each master. @default 0 */
  replicasPerMaster?: number;
  /** `cluster-node-timeout`: how soon a silent node is marked failed. @default 1000 */
  nodeTimeoutMs?: number;
  /** @default process.env.REDIS_CLI_BIN ?? 'redis-cli' */
  cliBinary?: string;
}

/**
 * A real Redis Cluster owned by a test: `redis-server --cluster-enabled yes` processes on free
 * ports (client and cluster-bus port both chosen free, since other suites share the machine),
 * joined by `redis-cli --cluster create`. Each node keeps its `nodes.conf` in a temporary
 * directory, so a node killed and restarted on its port rejoins with its slots, as a crashed
 * pod with a persistent volume would.
 */
export class RedisCluster {
  private constructor(
    /** Every node, masters first in creation order. */
    readonly nodes: RedisServer[],
    private readonly dir: string,
  ) {}

  static async start(options: RedisClusterOptions = {}): Promise<RedisCluster> {
    const { masters = 3, replicasPerMaster = 0, nodeTimeoutMs = 1000 } = options;
    const cli = options.cliBinary ?? process.env['REDIS_CLI_BIN'] ?? 'redis-cli';
    const dir = await mkdtemp(join(tmpdir(), 'clustache-cluster-'));
    const nodes: RedisServer[] = [];
    const cluster = new RedisCluster(nodes, dir);
    try {
      for (let i = 0; i < masters * (1 + replicasPerMaster); i++) {
        nodes.push(await startNode(dir, nodeTimeoutMs, new Set(nodes.map((node) => node.port))));
      }
      const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
      await run(
        cli,
        [
          '--cluster',
          'create',
          ...addresses,
          '--cluster-replicas',
          String(replicasPerMaster),
          '--cluster-yes',
        ],
        {
          timeout: 30_000,
        },
      );
      await cluster.waitUntilOk();
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  /** Startup nodes for a cluster client. */
  get startupNodes(): { host: string; port: number }[] {
    return this.nodes.map((node) => ({ host: '127.0.0.1', port: node.port }));
  }

  /**
   * Resolves once every running node reports `cluster_state:ok` and knows all 16384 slots, and
   * every running replica is in sync with its master (a replica that never synced cannot fail over).
   */
  async waitUntilOk(timeoutMs = 20_000): Promise<void> {
    const healthy = async (node: RedisServer) => {
      const cluster = String(await command(node, ['CLUSTER', 'INFO']));
      const replication = String(await command(node, ['INFO', 'replication']));
      return (
        cluster.includes('cluster_state:ok') &&
        cluster.includes('cluster_slots_ok:16384') &&
        (replication.includes('role:master') || replication.includes('master_link_status:up'))
      );
    };
    await waitFor(
      async () => (await Promise.all(this.nodes.filter((node) => node.running).map(healthy))).every(Boolean),
      { timeoutMs, intervalMs: 50, description: 'cluster_state:ok and replicas in sync on every node' },
    );
  }

  /** The slot a key (or sharded channel) hashes to, as the cluster computes it. */
  async slotOf(key: string): Promise<number> {
    return Number(await command(this.runningNode(), ['CLUSTER', 'KEYSLOT', key]));
  }

  /** The master that serves `key`'s slot now. */
  async masterOf(key: string): Promise<RedisServer> {
    return this.masterOfSlot(await this.slotOf(key));
  }

  async masterOfSlot(slot: number): Promise<RedisServer> {
    const ranges = (await command(this.runningNode(), ['CLUSTER', 'SLOTS'])) as [
      number,
      number,
      [string, number],
    ][];
    const range = ranges.find(([first, last]) => slot >= first && slot <= last);
    const node = this.nodes.find((server) => server.port === range?.[2][1]);
    if (node === undefined) throw new Error(`no master serves slot ${slot}`);
    return node;
  }

  /**
   * Moves one slot (with its keys) to another master, as `redis-cli --cluster reshard` does:
   * IMPORTING / MIGRATING, MIGRATE of every key, then SETSLOT NODE on every master.
   */
  async moveSlot(slot: number, to: RedisServer): Promise<void> {
    const from = await this.masterOfSlot(slot);
    if (from === to) return;
    const [fromId, toId] = await Promise.all([from, to].map((node) => command(node, ['CLUSTER', 'MYID'])));
    await command(to, ['CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', String(fromId)]);
    await command(from, ['CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', String(toId)]);
    for (;;) {
      const keys = (await command(from, ['CLUSTER', 'GETKEYSINSLOT', String(slot), '100'])) as string[];
      if (keys.length === 0) break;
      await command(from, ['MIGRATE', '127.0.0.1', String(to.port), '', '0', '5000', 'KEYS', ...keys]);
    }
    for (const node of [to, from, ...this.nodes.filter((n) => n !== to && n !== from && n.running)]) {
      await command(node, ['CLUSTER', 'SETSLOT', String(slot), 'NODE', String(toId)]);
    }
  }

  /** Kills every node and removes the temporary directory. */
  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.kill()));
    await rm(this.dir, { recursive: true, force: true });
  }

  private runningNode(): RedisServer {
    const node = this.nodes.find((server) => server.running);
    if (node === undefined) throw new Error('no cluster node is running');
    return node;
  }
}

/** Runs one command on one node over a short-lived connection. */
async function command(node: RedisServer, args: string[]): Promise<unknown> {
  const client = new Redis(node.port, '127.0.0.1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.call(args[0]!, ...args.slice(1));
  } finally {
    client.disconnect();
  }
}

/**
 * One cluster node on a free client port and a free cluster-bus port. A port can be taken between
 * the probe and the server's bind (other suites share the machine), so a failed start is retried.
 */
async function startNode(dir: string, nodeTimeoutMs: number, taken: Set<number>): Promise<RedisServer> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const busPort = await freePort();
    if (port === busPort || taken.has(port) || taken.has(busPort)) continue;
    const args = [
      '--cluster-enabled', 'yes',
      '--cluster-config-file', join(dir, `nodes-${port}.conf`),
      '--cluster-port', String(busPort),
      '--cluster-node-timeout', String(nodeTimeoutMs),
      '--repl-diskless-sync-delay', '0',
      '--dir', dir,
    ]; // prettier-ignore
    try {
      return await RedisServer.start({ port, args });
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}
