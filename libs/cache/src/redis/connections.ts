import Redis, { Cluster, type ClusterNode, type ClusterOptions, type RedisOptions } from 'ioredis';
import { CacheConfigError } from '../errors';
import type { Logger } from '../logger';
import { slotOf } from './slot';

/** Redis Cluster: the startup nodes (any few masters or replicas) and ioredis cluster options. */
export interface RedisClusterConfig {
  cluster: ClusterNode[];
  /** `redisOptions` in it (password, TLS...) apply to every node connection. */
  options?: ClusterOptions;
}

/**
 * Where the cache's Redis is: a `redis://` URL or ioredis options (one server; with `sentinels`
 * and `name`, the master a Sentinel names), or `{ cluster: [...] }` for Redis Cluster.
 */
export type RedisConfig = string | RedisOptions | RedisClusterConfig;

/** A connection that runs commands: one server, or a cluster client that routes by slot. */
export type RedisClient = Redis | Cluster;

export type Topology = 'standalone' | 'sentinel' | 'cluster';

/**
 * The connections of one cache and where its keys live. The bus's transport and replay log are
 * built on these by `bus/redis-channel.ts`.
 */
export type RedisConnections = ServerConnections | ClusterConnections;

/** One server, or the master a Sentinel names. */
export interface ServerConnections {
  topology: 'standalone' | 'sentinel';
  /** Runs every command (offline queue off: a command fails at once while Redis is gone). */
  commands: Redis;
  /** Prefix of the cache's L2, lease, bus and log keys. */
  keyPrefix: string;
  /** Opens a connection for the bus's subscriber (SUBSCRIBE waits for it to connect; it never resubscribes by itself). */
  subscriber(): Redis;
}

/** Redis Cluster: every key of the cache in one slot (see `openConnections`). */
export interface ClusterConnections {
  topology: 'cluster';
  /** Runs every command, routed by slot (offline queue off). */
  commands: Cluster;
  /** Prefix of the cache's L2, lease, bus and log keys, hash-tagged. */
  keyPrefix: string;
  /** Opens a subscriber connection to one node: the master owning the bus channel's slot. */
  subscriber(node: { host: string; port: number }): Redis;
}

/** Reconnect after 50 ms doubling up to 2 s, each delay randomised by half so replicas do not reconnect in step. */
const retryDelay = (attempt: number): number => Math.min(50 * 2 ** attempt, 2000) * (0.5 + Math.random() / 2);

/**
 * Settings of every connection the engine opens; they win over the user's, as the engine relies
 * on them. `disconnectTimeout`: ioredis arms a timer of that length on each disconnect to destroy
 * a socket that will not close, and never clears it when the socket was already gone (Redis
 * down); at its 2 s default it held a closing process open.
 */
const ENGINE_SETTINGS = {
  maxRetriesPerRequest: 1,
  commandTimeout: 2000,
  connectTimeout: 2000,
  disconnectTimeout: 200,
  retryStrategy: retryDelay,
} satisfies RedisOptions;

const COMMAND_SETTINGS = { ...ENGINE_SETTINGS, enableOfflineQueue: false } satisfies RedisOptions;
/** A subscriber queues its SUBSCRIBE until connected and resubscribes itself (the transport does it, and reports it). */
const SUBSCRIBER_SETTINGS = {
  ...ENGINE_SETTINGS,
  enableOfflineQueue: true,
  autoResubscribe: false,
} satisfies RedisOptions;

/**
 * Opens the connections of cache `name` for the configured topology.
 *
 * On Redis Cluster every key and the bus channel of one cache carry the hash tag `{name}`, so
 * they live in one slot: an L2 batch is one MGET and one pipeline to one node (multi-key
 * commands and pipelines across slots fail on a cluster), a pattern delete is a SCAN of that
 * node rather than of every master, and the bus, leases and L2 of a cache fail and recover
 * together. The price is that one cache's L2 is held by one shard; caches with different names
 * spread over the shards. Standalone and Sentinel keep the untagged names (`clustache:name:`)
 * so replicas of an older release share the bus with new ones during a rolling upgrade.
 */
export function openConnections(config: RedisConfig, name: string, logger: Logger): RedisConnections {
  if (typeof config === 'object' && config !== null && 'cluster' in config) {
    return openCluster(config, name, logger);
  }
  const topology: ServerConnections['topology'] =
    typeof config === 'object' && config?.sentinels ? 'sentinel' : 'standalone';
  const prefix = `clustache:${name}:`;
  const connect = (settings: RedisOptions) =>
    watch(
      typeof config === 'string' ? new Redis(config, settings) : new Redis({ ...config, ...settings }),
      logger,
    );
  return {
    topology,
    commands: connect(COMMAND_SETTINGS),
    keyPrefix: prefix,
    subscriber: () => connect(SUBSCRIBER_SETTINGS),
  };
}

function openCluster(config: RedisClusterConfig, name: string, logger: Logger): ClusterConnections {
  if (!Array.isArray(config.cluster) || config.cluster.length === 0) {
    throw new CacheConfigError(
      'option "redis.cluster" must list at least one node, e.g. [{ host: "redis-0", port: 6379 }]',
    );
  }
  const nodeOptions = config.options?.redisOptions ?? {};
  const commands = new Cluster(config.cluster, {
    ...config.options,
    enableOfflineQueue: false,
    clusterRetryStrategy: retryDelay,
    redisOptions: { ...nodeOptions, ...COMMAND_SETTINGS },
  });
  return {
    topology: 'cluster',
    commands: watch(commands, logger),
    keyPrefix: `clustache:{${name}}:`,
    subscriber: (node) => watch(new Redis({ ...nodeOptions, ...node, ...SUBSCRIBER_SETTINGS }), logger),
  };
}

/**
 * The connection that serves `key` for commands without a key of their own (SCAN): the client
 * itself on one server, the master owning `key`'s slot on a cluster.
 */
export function nodeFor(redis: RedisClient, key: string): Redis {
  if (!(redis instanceof Cluster)) return redis;
  const owner = redis.slots[slotOf(key)]?.[0];
  const node = redis.nodes('master').find((n) => `${n.options.host}:${n.options.port}` === owner);
  if (node === undefined) throw new Error(`no known master serves the slot of ${key}`);
  return node;
}

function watch<C extends RedisClient>(redis: C, logger: Logger): C {
  redis.on('error', (error: unknown) => logger.debug('redis connection error', { err: error }));
  return redis;
}
