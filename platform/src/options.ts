import { parseArgs } from 'node:util';
import { parseDuration } from './duration';

/** Everything `npm start` can be told; each option also reads an environment variable. */
export interface PlatformOptions {
  /** API replicas behind the load balancer. @default 3 (`--replicas`, `REPLICAS`) */
  replicas: number;
  /** The load balancer, the API's one address. @default 8080 (`--lb-port`, `LB_PORT`) */
  lbPort: number;
  /** @default 9090 (`--prometheus-port`, `PROMETHEUS_PORT`) */
  prometheusPort: number;
  /** @default 9093 (`--alertmanager-port`, `ALERTMANAGER_PORT`) */
  alertmanagerPort: number;
  /** The console: overview page, chart image, and the webhook receiver. @default 8081 (`--console-port`, `CONSOLE_PORT`) */
  consolePort: number;
  /** An existing Redis to use. @default unset: the platform starts its own redis-server on a free port (`--redis-url`, `REDIS_URL`) */
  redisUrl: string | undefined;
  /** Requests per second of the steady load; 0 turns it off. @default 50 (`--rps`, `LOAD_RPS`) */
  rps: number;
  /** Tags per second of the RTB workload's load (profile and aggregates queries in the contract's ratio); 0 turns it off. @default 20 (`--rtb-tags`, `RTB_LOAD_TAGS`) */
  rtbTagsPerSecond: number;
  /** Distinct keys the load spreads over (zipf-like popularity). @default 1000 (`--keys`, `LOAD_KEYS`) */
  keys: number;
  /** @default '5s' (`--scrape-interval`, `SCRAPE_INTERVAL`) */
  scrapeInterval: string;
  /** @default '5s' (`--evaluation-interval`, `EVALUATION_INTERVAL`) */
  evaluationInterval: string;
  /** Replaces every alert's `for:`, to see alerts fire quickly. @default unset: as in the rules file (`--alert-for`, `ALERT_FOR`) */
  alertFor: string | undefined;
  /** Replaces Alertmanager's group_wait on every route. @default unset (`--alert-group-wait`, `ALERT_GROUP_WAIT`) */
  alertGroupWait: string | undefined;
  /** Replaces Alertmanager's group_interval on every route. @default unset (`--alert-group-interval`, `ALERT_GROUP_INTERVAL`) */
  alertGroupInterval: string | undefined;
  /** Passed to the replicas. @default 20 (`--source-latency-ms`, `SOURCE_LATENCY_MS`) */
  sourceLatencyMs: number;
  /** Passed to the replicas. @default 60 (`--cache-ttl-seconds`, `CACHE_TTL_SECONDS`) */
  cacheTtlSeconds: number;
  /** Seconds between the one-line summaries in the terminal; 0 turns them off. @default 10 (`--status-every`, `STATUS_EVERY`) */
  statusEverySeconds: number;
  /** Folder for configs, data and logs. @default a new folder under the system's temp dir (`--work-dir`, `PLATFORM_WORK_DIR`) */
  workDir: string | undefined;
  /** Keep the work folder (logs) after stopping. @default false (`--keep-work-dir`) */
  keepWorkDir: boolean;
  /** Build the API with Nx before starting. @default true (`--no-build` turns it off) */
  build: boolean;
  help: boolean;
}

export const USAGE = `Usage: npm start -- [options]

Runs the whole Clustache platform as local processes: redis-server, API replicas behind a load
balancer, the Redis exporter, Prometheus with the alert rules, Alertmanager, a console with the
overview and a webhook receiver, and a steady load. Ctrl-C stops everything.

Options (each also read from the environment variable in brackets):
  --replicas N              API replicas [REPLICAS] (default 3)
  --lb-port PORT            load balancer [LB_PORT] (default 8080)
  --prometheus-port PORT    Prometheus [PROMETHEUS_PORT] (default 9090)
  --alertmanager-port PORT  Alertmanager [ALERTMANAGER_PORT] (default 9093)
  --console-port PORT       overview page and webhook receiver [CONSOLE_PORT] (default 8081)
  --redis-url URL           use this Redis instead of starting one [REDIS_URL]
  --rps N                   steady load in requests/s, 0 for none [LOAD_RPS] (default 50)
  --keys N                  keys the load spreads over [LOAD_KEYS] (default 1000)
  --rtb-tags N              RTB workload load in tags/s, 0 for none [RTB_LOAD_TAGS] (default 20)
  --scrape-interval DUR     [SCRAPE_INTERVAL] (default 5s)
  --evaluation-interval DUR [EVALUATION_INTERVAL] (default 5s)
  --alert-for DUR           override every alert's "for:" [ALERT_FOR]
  --alert-group-wait DUR    override Alertmanager group_wait [ALERT_GROUP_WAIT]
  --alert-group-interval DUR override Alertmanager group_interval [ALERT_GROUP_INTERVAL]
  --source-latency-ms N     simulated source latency [SOURCE_LATENCY_MS] (default 20)
  --cache-ttl-seconds N     cache TTL [CACHE_TTL_SECONDS] (default 60)
  --status-every N          seconds between summary lines, 0 for none [STATUS_EVERY] (default 10)
  --work-dir DIR            configs, data and logs [PLATFORM_WORK_DIR] (default: a new temp folder)
  --keep-work-dir           keep the work folder after stopping
  --no-build                do not build the API first (run \`npm run build\` yourself)
  --help                    this text`;

/** A bad option; the message names the flag and what it accepts. */
export class OptionError extends Error {
  override readonly name = 'OptionError';
}

type Env = Record<string, string | undefined>;

export function parseOptions(argv: string[], env: Env = process.env): PlatformOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      replicas: { type: 'string' },
      'lb-port': { type: 'string' },
      'prometheus-port': { type: 'string' },
      'alertmanager-port': { type: 'string' },
      'console-port': { type: 'string' },
      'redis-url': { type: 'string' },
      rps: { type: 'string' },
      keys: { type: 'string' },
      'rtb-tags': { type: 'string' },
      'scrape-interval': { type: 'string' },
      'evaluation-interval': { type: 'string' },
      'alert-for': { type: 'string' },
      'alert-group-wait': { type: 'string' },
      'alert-group-interval': { type: 'string' },
      'source-latency-ms': { type: 'string' },
      'cache-ttl-seconds': { type: 'string' },
      'status-every': { type: 'string' },
      'work-dir': { type: 'string' },
      'keep-work-dir': { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const text = (flag: keyof typeof values, variable: string): string | undefined => {
    const value = values[flag] ?? env[variable];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const integer = (
    flag: keyof typeof values,
    variable: string,
    fallback: number,
    min: number,
    max: number,
  ): number => {
    const value = text(flag, variable);
    if (value === undefined) return fallback;
    const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!(parsed >= min && parsed <= max))
      throw new OptionError(
        `--${flag} (${variable}) must be an integer from ${min} to ${max}; got "${value}"`,
      );
    return parsed;
  };
  const duration = (flag: keyof typeof values, variable: string): string | undefined => {
    const value = text(flag, variable);
    if (value === undefined) return undefined;
    try {
      parseDuration(value);
    } catch (error) {
      throw new OptionError(`--${flag} (${variable}): ${(error as Error).message}`);
    }
    return value;
  };
  const redisUrl = text('redis-url', 'REDIS_URL');
  if (redisUrl !== undefined && !/^rediss?:\/\/[^/]+/.test(redisUrl)) {
    throw new OptionError(
      `--redis-url (REDIS_URL) must be a redis:// URL such as redis://127.0.0.1:6379; got "${redisUrl}"`,
    );
  }
  return {
    replicas: integer('replicas', 'REPLICAS', 3, 1, 32),
    lbPort: integer('lb-port', 'LB_PORT', 8080, 1, 65_535),
    prometheusPort: integer('prometheus-port', 'PROMETHEUS_PORT', 9090, 1, 65_535),
    alertmanagerPort: integer('alertmanager-port', 'ALERTMANAGER_PORT', 9093, 1, 65_535),
    consolePort: integer('console-port', 'CONSOLE_PORT', 8081, 1, 65_535),
    redisUrl,
    rps: integer('rps', 'LOAD_RPS', 50, 0, 10_000),
    keys: integer('keys', 'LOAD_KEYS', 1000, 1, 1_000_000),
    rtbTagsPerSecond: integer('rtb-tags', 'RTB_LOAD_TAGS', 20, 0, 1000),
    scrapeInterval: duration('scrape-interval', 'SCRAPE_INTERVAL') ?? '5s',
    evaluationInterval: duration('evaluation-interval', 'EVALUATION_INTERVAL') ?? '5s',
    alertFor: duration('alert-for', 'ALERT_FOR'),
    alertGroupWait: duration('alert-group-wait', 'ALERT_GROUP_WAIT'),
    alertGroupInterval: duration('alert-group-interval', 'ALERT_GROUP_INTERVAL'),
    sourceLatencyMs: integer('source-latency-ms', 'SOURCE_LATENCY_MS', 20, 0, 60_000),
    cacheTtlSeconds: integer('cache-ttl-seconds', 'CACHE_TTL_SECONDS', 60, 1, 86_400),
    statusEverySeconds: integer('status-every', 'STATUS_EVERY', 10, 0, 3600),
    workDir: text('work-dir', 'PLATFORM_WORK_DIR'),
    keepWorkDir: values['keep-work-dir'] === true,
    build: values['no-build'] !== true,
    help: values.help === true,
  };
}
