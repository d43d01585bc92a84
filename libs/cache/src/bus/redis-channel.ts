import type { Logger } from '../logger';
import type { RedisConnections } from '../redis/connections';
import type { RedisGateway } from '../redis/gateway';
import { ReplayLog, type ReplayLogOptions } from './replay-log';
import { ShardedPubSubTransport } from './sharded-transport';
import { RedisPubSubTransport, type BusTransport } from './transport';

/*
 * Where a cache's bus lives in Redis, beside its keys: the channel `<prefix>bus`, and the replay
 * log's stream and head in the same slot. On a cluster the bus uses sharded pub/sub (SPUBLISH),
 * elsewhere classic PUBLISH. The cache composes its bus from these; the connections only open
 * the subscriber connections the transport asks for.
 */

/** The bus's transport for the topology: publishes go through `gateway`, and through `log` when given. */
export function openTransport(
  redis: RedisConnections,
  gateway: RedisGateway,
  logger: Logger,
  log?: ReplayLog,
): BusTransport {
  const channel = `${redis.keyPrefix}bus`;
  if (redis.topology === 'cluster') {
    return new ShardedPubSubTransport(redis.commands, gateway, channel, redis.subscriber, logger, log);
  }
  return new RedisPubSubTransport(redis.subscriber(), gateway, channel, logger, log);
}

/** The bus's replay log, in the cache's slot beside its channel. */
export function openReplayLog(
  redis: RedisConnections,
  gateway: RedisGateway,
  options: ReplayLogOptions,
): ReplayLog {
  const prefix = redis.keyPrefix;
  return new ReplayLog(
    gateway,
    { stream: `${prefix}log`, head: `${prefix}log-epoch`, channel: `${prefix}bus` },
    redis.topology === 'cluster' ? 'spublish' : 'publish',
    options,
  );
}
