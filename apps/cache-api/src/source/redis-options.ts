import type { RedisOptions } from 'ioredis';

/**
 * ioredis options from `REDIS_URL`, shared by the engine cache and the source of record.
 *
 * They exist for one setting the URL cannot carry: `disableClientInfo`. On connect ioredis
 * sends `CLIENT SETINFO`, which Redis before 7.2 rejects, and it leaves each rejected command's
 * 2 s timeout timer running, which holds a stopping process open for 2 s.
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
  };
}
