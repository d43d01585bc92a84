import { hostname } from 'node:os';

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

/** A configuration value is out of range; the message names the variable and what it accepts. */
export class ConfigError extends Error {
  static readonly code = 'E_API_CONFIG';
  readonly code = ConfigError.code;

  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Reads and validates the configuration; throws a ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): ApiConfig {
  return {
    port: integer(env, 'PORT', 3000, 0, 65_535),
    redisUrl: redisUrl(env),
    instanceId: instanceId(env),
    sourceLatencyMs: integer(env, 'SOURCE_LATENCY_MS', 50, 0, 60_000),
    cacheTtlSeconds: integer(env, 'CACHE_TTL_SECONDS', 300, 1, 30 * 86_400),
    adminToken: adminToken(env),
    sessionTtlSeconds: integer(env, 'SESSION_TTL_SECONDS', 1800, 1, 30 * 86_400),
  };
}

function raw(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}; got ${JSON.stringify(value)}`);
  }
  return parsed;
}

function redisUrl(env: Env): string {
  const value = raw(env, 'REDIS_URL') ?? 'redis://127.0.0.1:6379';
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const valid =
    url !== undefined &&
    (url.protocol === 'redis:' || url.protocol === 'rediss:') &&
    url.hostname !== '' &&
    /^(\/\d{0,2})?$/.test(url.pathname) &&
    url.search === '';
  if (!valid) {
    throw new ConfigError(
      `REDIS_URL must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379 or rediss://user:pass@host:6380/0; got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function instanceId(env: Env): string {
  const value = raw(env, 'INSTANCE_ID') ?? hostname();
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(value)) {
    throw new ConfigError(
      `INSTANCE_ID must be 1-64 letters, digits, "_", "." or "-"; got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function adminToken(env: Env): string | undefined {
  const value = raw(env, 'ADMIN_TOKEN');
  if (value !== undefined && (value.length < 8 || /\s/.test(value))) {
    throw new ConfigError(
      'ADMIN_TOKEN must be at least 8 characters without spaces, or unset to leave admin endpoints open',
    );
  }
  return value;
}
