import { hostname } from 'node:os';

/** A configuration value is out of range; the message names the variable and what it accepts. */
export class ConfigError extends Error {
  static readonly code = 'E_CONFIG';
  readonly code = ConfigError.code;

  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

/**
 * Typed readers for the environment variables services are configured with. Each validates at
 * start and throws a ConfigError naming the variable, so a typo stops the process with one clear
 * line instead of surfacing later as odd behaviour.
 */
export const envReaders = {
  /** The trimmed value, or undefined when unset or blank. */
  raw(env: Env, name: string): string | undefined {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  },

  integer(env: Env, name: string, fallback: number, min: number, max: number): number {
    const value = envReaders.raw(env, name);
    if (value === undefined) return fallback;
    const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max)
      throw new ConfigError(`${name} must be an integer from ${min} to ${max}; got ${JSON.stringify(value)}`);
    return parsed;
  },

  boolean(env: Env, name: string): boolean {
    const value = envReaders.raw(env, name)?.toLowerCase();
    if (value === undefined || value === '0' || value === 'false') return false;
    if (value === '1' || value === 'true') return true;
    throw new ConfigError(`${name} must be 1, 0, true or false; got ${JSON.stringify(value)}`);
  },

  /**
   * `REDIS_URL`: a redis:// or rediss:// URL with at most a database number as its path. When
   * `REDIS_PASSWORD` is set (Kubernetes passes it from a Secret), it becomes the URL's password,
   * so a password never has to be written into the URL itself.
   */
  redisUrl(env: Env, name = 'REDIS_URL'): string {
    const value = envReaders.raw(env, name) ?? 'redis://127.0.0.1:6379';
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
    if (!valid)
      throw new ConfigError(
        `${name} must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379 or rediss://user:pass@host:6380/0; got ${JSON.stringify(value)}`,
      );
    const password = env['REDIS_PASSWORD'];
    if (password === undefined || password === '') return value;
    url!.password = encodeURIComponent(password);
    return url!.toString();
  },

  /** `INSTANCE_ID`: names this replica in logs, headers and Redis consumer names; the host name by default. */
  instanceId(env: Env, name = 'INSTANCE_ID'): string {
    const value = envReaders.raw(env, name) ?? hostname();
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(value))
      throw new ConfigError(
        `${name} must be 1-64 letters, digits, "_", "." or "-"; got ${JSON.stringify(value)}`,
      );
    return value;
  },
};

/** The URL with its password masked, for logs. */
export function redactedUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
