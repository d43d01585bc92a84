import { RedisSentinel, RedisServer, waitFor } from '@clustache/testing';
import type { RedisConfig } from '../../src';

/** A credential the master does not know: a replica told to use it cannot resync. Not a secret. */
const UNUSABLE_MASTERAUTH = 'clustache-cut-off';

/**
 * Two real redis-servers, a master and its replica, watched by one real Sentinel, shared by the
 * failover rows of the fault table (starting a Sentinel is the slow part). Each row first asks
 * for a `healthy()` pair; a failover kills the master, and the next `healthy()` restarts it as the
 * new master's replica. `cutOff` makes a replica miss writes on purpose: it is given a password
 * the master refuses and dropped, so it cannot resync, and Sentinel, which only fixes replicas
 * pointing at the wrong address, leaves it so.
 */
export class FailoverRig {
  private constructor(
    private readonly servers: [RedisServer, RedisServer],
    private readonly sentinel: RedisSentinel,
  ) {}

  static async start(): Promise<FailoverRig> {
    const first = await RedisServer.start();
    const second = await RedisServer.start();
    let sentinel: RedisSentinel | undefined;
    try {
      await command(second, 'REPLICAOF', '127.0.0.1', String(first.port));
      sentinel = await RedisSentinel.start(first);
      const rig = new FailoverRig([first, second], sentinel);
      await rig.healthy();
      return rig;
    } catch (error) {
      await sentinel?.stop();
      await Promise.all([first.kill(), second.kill()]);
      throw error;
    }
  }

  /** Where caches find the master: through the Sentinel. */
  get redisConfig(): RedisConfig {
    return { sentinels: this.sentinel.sentinels, name: this.sentinel.masterName };
  }

  /**
   * The master the Sentinel names and its replica, once the replica is in sync and the Sentinel
   * sees it up. A server down since a failover is restarted (empty) as the master's replica.
   */
  async healthy(): Promise<{ master: RedisServer; replica: RedisServer }> {
    const master = await this.master();
    const replica = this.servers.find((server) => server !== master)!;
    if (!replica.running) await replica.restart();
    await command(replica, 'CONFIG', 'SET', 'masterauth', '');
    if ((await info(replica))['master_port'] !== String(master.port)) {
      await command(replica, 'REPLICAOF', '127.0.0.1', String(master.port));
    }
    await waitFor(
      async () => {
        const [onMaster, onReplica, seen] = await Promise.all([
          info(master),
          info(replica),
          this.sentinel.replicaFlags(replica.port),
        ]);
        return (
          onMaster['connected_slaves'] === '1' &&
          onReplica['master_link_status'] === 'up' &&
          onReplica['master_sync_in_progress'] === '0' &&
          seen === 'slave'
        );
      },
      {
        timeoutMs: 20_000,
        intervalMs: 100,
        description: 'a master with one replica in sync, seen by the Sentinel',
      },
    );
    return { master, replica };
  }

  /** Stops `replica` following its master: it misses every write from now on. */
  async cutOff(replica: RedisServer): Promise<void> {
    await command(replica, 'CONFIG', 'SET', 'masterauth', UNUSABLE_MASTERAUTH);
    await command(replica, 'CLIENT', 'KILL', 'TYPE', 'master');
    await waitFor(async () => (await info(replica))['master_link_status'] === 'down', {
      description: 'the replica lost its master',
    });
  }

  /** The replication offset a server has reached (on a master, what it has written). */
  async offset(server: RedisServer): Promise<number> {
    return Number((await info(server))['master_repl_offset']);
  }

  /** Kills the master (SIGKILL) and resolves once the Sentinel names `replica` in its place. */
  async failOver(master: RedisServer, replica: RedisServer): Promise<void> {
    await master.kill();
    await waitFor(async () => (await this.sentinel.masterAddress())?.[1] === String(replica.port), {
      timeoutMs: 20_000,
      intervalMs: 50,
      description: 'the Sentinel promotes the replica',
    });
  }

  async stop(): Promise<void> {
    await this.sentinel.stop();
    await Promise.all(this.servers.map((server) => server.kill()));
  }

  private async master(): Promise<RedisServer> {
    const port = (await this.sentinel.masterAddress())?.[1];
    const master = this.servers.find((server) => String(server.port) === port);
    if (master === undefined)
      throw new Error(`the Sentinel names a master on port ${port}, not one of the rig's`);
    return master;
  }
}

/** Runs one command on a server with a client of its own. */
async function command(server: RedisServer, ...args: string[]): Promise<unknown> {
  const client = server.client();
  client.on('error', () => undefined);
  try {
    return await client.call(args[0]!, ...args.slice(1));
  } finally {
    client.disconnect();
  }
}

/** `INFO replication` as fields. */
async function info(server: RedisServer): Promise<Record<string, string>> {
  const text = String(await command(server, 'INFO', 'replication'));
  return Object.fromEntries(
    text
      .split('\r\n')
      .filter((line) => line.includes(':'))
      .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]),
  );
}
