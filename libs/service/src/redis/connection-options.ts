import type { RedisOptions } from 'ioredis';

/** How a connection behaves while Redis is away. */
export type ConnectionRole =
  /** Request paths: no offline queue, fail fast with a 503 instead of piling requests up. */
  | 'request'
  /** Background consumers: commands wait for the reconnect; their loop backs off on errors. */
  | 'background';

/** How long a request-path command or connect may take before it fails. */
export const REQUEST_TIMEOUT_MS = 2000;

/**
 * ioredis options from a `REDIS_URL` (as `envReaders.redisUrl` validated it): host, port, user,
 * password, database and TLS for `rediss://`. The engine's caches take them as they are.
 *
 * They exist for two settings the URL cannot carry. `disableClientInfo`: on connect ioredis
 * sends `CLIENT SETINFO`, which Redis before 7.2 rejects. `disconnectTimeout`: ioredis arms a
 * timer of that length on every disconnect to destroy a socket that does not close, and never
 * clears it when the socket was already gone (Redis down), so its 2 s default held a stopping
 * process open.
 */
export function redisOptions(url: string): RedisOptions {
  const parsed = new URL(url);
  const db = parsed.pathname.replace(/^\//, '');
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port === '' ? 6379 : Number(parsed.port),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(db !== '' ? { db: Number(db) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    disableClientInfo: true,
    disconnectTimeout: 200,
  };
}

/**
 * The options of a service's own connection in `role`: `redisOptions(url)` plus reconnecting
 * with a backoff (50 ms doubling up to 2 s), and for the request role no offline queue, one
 * retry and 2 s command and connect timeouts, so a request fails within seconds while Redis is
 * away instead of waiting for it.
 */
export function connectionOptions(url: string, role: ConnectionRole): RedisOptions {
  return {
    ...redisOptions(url),
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2000),
    ...(role === 'request'
      ? {
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          commandTimeout: REQUEST_TIMEOUT_MS,
          connectTimeout: REQUEST_TIMEOUT_MS,
        }
      : { maxRetriesPerRequest: null }),
  };
}
