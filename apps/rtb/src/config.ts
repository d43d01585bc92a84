import { ConfigError, envReaders, type Env } from '@clustache/service';

/** What this process runs: `all` (API and aggregators, `npm run start:rtb`), `api` or `aggregator`. */
export type RtbRole = 'all' | 'api' | 'aggregator';
const ROLES: readonly RtbRole[] = ['all', 'api', 'aggregator'];

/** Everything an RTB process is configured with; `loadRtbConfig` builds it from the environment. */
export interface RtbConfig {
  /** HTTP port: the contract's API, or only probes and metrics for the `aggregator` role. @default 3000 (env `PORT`) */
  port: number;
  /** @default 'redis://127.0.0.1:6379' (env `REDIS_URL`) */
  redisUrl: string;
  /** Names this process in logs and as the aggregators' consumer prefix. @default the host name (env `INSTANCE_ID`) */
  instanceId: string;
  /** @default 'all' (env `RTB_ROLE`) */
  role: RtbRole;
  /** Aggregators this process runs (roles `all` and `aggregator`). @default 1 (env `RTB_AGGREGATORS`) */
  aggregators: number;
  /** Tags kept per cookie and action. @default 200, the contract's minimum (env `RTB_PROFILE_TAGS`) */
  profileTags: number;
  /** Profile tags older than this behind the cookie's newest are trimmed; idle cookies expire after it. @default 86400 (env `RTB_PROFILE_RETENTION_SECONDS`) */
  profileRetentionSeconds: number;
  /** Minute buckets kept behind the newest one: the contract's 24 hours. @default 1440 (env `RTB_AGGREGATE_RETENTION_MINUTES`) */
  aggregateRetentionMinutes: number;
  /** An aggregator that holds tags unacknowledged this long has them taken over. @default 30000 (env `RTB_CLAIM_IDLE_MS`) */
  claimIdleMs: number;
  /** Compare query answers with the expected answer a debug-mode client sends as the body, and log mismatches. @default false (env `RTB_DEBUG`) */
  debug: boolean;
}

export function loadRtbConfig(env: Env = process.env): RtbConfig {
  const role = (envReaders.raw(env, 'RTB_ROLE') ?? 'all') as RtbRole;
  if (!ROLES.includes(role)) {
    throw new ConfigError(`RTB_ROLE must be one of ${ROLES.join(', ')}; got ${JSON.stringify(role)}`);
  }
  return {
    port: envReaders.integer(env, 'PORT', 3000, 0, 65_535),
    redisUrl: envReaders.redisUrl(env),
    instanceId: envReaders.instanceId(env),
    role,
    aggregators: envReaders.integer(env, 'RTB_AGGREGATORS', 1, role === 'aggregator' ? 1 : 0, 16),
    profileTags: envReaders.integer(env, 'RTB_PROFILE_TAGS', 200, 200, 100_000),
    profileRetentionSeconds: envReaders.integer(
      env,
      'RTB_PROFILE_RETENTION_SECONDS',
      86_400,
      60,
      365 * 86_400,
    ),
    aggregateRetentionMinutes: envReaders.integer(
      env,
      'RTB_AGGREGATE_RETENTION_MINUTES',
      1440,
      10,
      365 * 1440,
    ),
    claimIdleMs: envReaders.integer(env, 'RTB_CLAIM_IDLE_MS', 30_000, 100, 3_600_000),
    debug: envReaders.boolean(env, 'RTB_DEBUG'),
  };
}
