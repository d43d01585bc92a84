import { ConfigError, envReaders, type Env } from '@clustache/service';

/** Everything an instance is configured with; `loadConfig` builds it from the environment. */
export interface ApiConfig {
  /** HTTP port. @default 3000 (env `PORT`) */
  port: number;
  /** Shared Redis: the cache bus and the source of record. @default 'redis://127.0.0.1:6379' (env `REDIS_URL`) */
  redisUrl: string;
  /** Names this replica in `/stats`, logs and the `X-Instance-Id` header. @default the host name (env `INSTANCE_ID`) */
  instanceId: string;
  /** Simulated latency of every source-of-record call. @default 50 (env `SOURCE_LATENCY_MS`) */
  sourceLatencyMs: number;
  /** How long a cached entry lives. @default 300 (env `CACHE_TTL_SECONDS`) */
  cacheTtlSeconds: number;
  /** When set, `/cache/invalidate` and `/stats/reset` require `Authorization: Bearer <token>`. @default unset (env `ADMIN_TOKEN`) */
  adminToken: string | undefined;
  /** How long a login session lives. @default 1800 (env `SESSION_TTL_SECONDS`) */
  sessionTtlSeconds: number;
}

export { ConfigError };

/** Reads and validates the configuration; throws a ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): ApiConfig {
  return {
    port: envReaders.integer(env, 'PORT', 3000, 0, 65_535),
    redisUrl: envReaders.redisUrl(env),
    instanceId: envReaders.instanceId(env),
    sourceLatencyMs: envReaders.integer(env, 'SOURCE_LATENCY_MS', 50, 0, 60_000),
    cacheTtlSeconds: envReaders.integer(env, 'CACHE_TTL_SECONDS', 300, 1, 30 * 86_400),
    adminToken: adminToken(env),
    sessionTtlSeconds: envReaders.integer(env, 'SESSION_TTL_SECONDS', 1800, 1, 30 * 86_400),
  };
}

function adminToken(env: Env): string | undefined {
  const value = envReaders.raw(env, 'ADMIN_TOKEN');
  if (value !== undefined && (value.length < 8 || /\s/.test(value))) {
    throw new ConfigError(
      'ADMIN_TOKEN must be at least 8 characters without spaces, or unset to leave admin endpoints open',
    );
  }
  return value;
}
