import { dashboard, labelVariable, type Dashboard, type PanelSpec, type RowSpec } from './grafana';
import { quantile, rate, WINDOW } from './promql';

/**
 * "Clustache overview": the seed's three panels done over rates instead of cumulative counters,
 * then one row per concern (cache, bus, recovery, L1, HTTP, Redis, load test). Selectors follow
 * the labels contract with the Helm chart: `job="clustache-api"` for the API replicas (one
 * `instance` each), `job="redis-exporter"` for the Redis exporter; k6 pushes its own `k6_*`
 * series by remote write.
 */

const API = 'job="clustache-api", instance=~"$instance", cache=~"$cache"';
const HTTP = 'job="clustache-api", instance=~"$instance"';
const REDIS = 'job="redis-exporter"';

const OWN = 'clustache_cache_filled_from_cache_own';
const SUBSCRIPTION = 'clustache_cache_filled_from_cache_subscription';
const SOURCE = 'clustache_cache_filled_from_source';
const L2 = 'clustache_cache_filled_from_l2';

/** Lookups answered from L1, by whoever filled it. */
const l1Fills = (by = '') => `(${rate(OWN, API, by)} + ${rate(SUBSCRIPTION, API, by)})`;

const cacheRow: RowSpec = {
  title: 'Cache: where answers come from',
  panels: [
    {
      title: '% of fulfillment from pub/sub',
      description:
        'Of the lookups answered from L1, the share filled by a peer over pub/sub rather than loaded by this replica: subscription / (subscription + own), over rates.',
      unit: 'percentunit',
      min: 0,
      max: 1,
      queries: [{ expr: `${rate(SUBSCRIPTION, API)} / ${l1Fills()}`, legendFormat: 'from pub/sub' }],
    },
    {
      title: 'Cache fill rate',
      description:
        'Share of lookups answered without calling the source: (own + subscription + L2) / (own + subscription + L2 + source), over rates.',
      unit: 'percentunit',
      min: 0,
      max: 1,
      queries: [
        {
          expr: `(${l1Fills()} + ${rate(L2, API)}) / (${l1Fills()} + ${rate(L2, API)} + ${rate(SOURCE, API)})`,
          legendFormat: 'fill rate',
        },
      ],
    },
    {
      title: 'Response latency',
      description: 'Average, p95 and p99 time to answer an HTTP request, over all routes.',
      unit: 's',
      queries: [
        {
          expr: `sum(rate(http_request_duration_seconds_sum{${HTTP}}[${WINDOW}])) / sum(rate(http_request_duration_seconds_count{${HTTP}}[${WINDOW}]))`,
          legendFormat: 'average',
        },
        { expr: quantile(0.95, 'http_request_duration_seconds', HTTP), legendFormat: 'p95' },
        { expr: quantile(0.99, 'http_request_duration_seconds', HTTP), legendFormat: 'p99' },
      ],
    },
    {
      title: 'Hit ratio per instance',
      description:
        'L1 hits / (hits + misses) on each replica. A replica far below its peers is cold or being flushed.',
      unit: 'percentunit',
      min: 0,
      max: 1,
      queries: [
        {
          expr: `${rate('clustache_cache_hits_total', API, 'instance')} / (${rate('clustache_cache_hits_total', API, 'instance')} + ${rate('clustache_cache_misses_total', API, 'instance')})`,
          legendFormat: '{{instance}}',
        },
      ],
    },
    {
      title: 'Source load rate',
      description:
        'Loader calls per second on each replica (every one is a call to the source), and loader calls that failed.',
      unit: 'ops',
      queries: [
        { expr: rate(SOURCE, API, 'instance'), legendFormat: '{{instance}}' },
        { expr: rate('clustache_cache_loader_errors_total', API), legendFormat: 'errors (all instances)' },
      ],
    },
    {
      title: 'Source latency',
      description: 'p50 and p99 time the loader (the source) takes per load.',
      unit: 's',
      queries: [
        { expr: quantile(0.5, 'clustache_cache_loader_duration_seconds', API), legendFormat: 'p50' },
        { expr: quantile(0.99, 'clustache_cache_loader_duration_seconds', API), legendFormat: 'p99' },
      ],
    },
  ],
};

const busRow: RowSpec = {
  title: 'Bus: Redis pub/sub between replicas',
  panels: [
    {
      title: 'Bus lag',
      description: 'Time from a peer publishing a message to this replica applying it (p50, p99).',
      unit: 's',
      queries: [
        { expr: quantile(0.5, 'clustache_cache_bus_lag_seconds', API), legendFormat: 'p50' },
        { expr: quantile(0.99, 'clustache_cache_bus_lag_seconds', API), legendFormat: 'p99' },
      ],
    },
    {
      title: 'Bus messages',
      description:
        'Messages published and received per second, by type (put, delete, deletePattern, clear, heartbeat).',
      unit: 'ops',
      queries: [
        {
          expr: rate('clustache_cache_bus_messages_published_total', API, 'type'),
          legendFormat: 'published {{type}}',
        },
        {
          expr: rate('clustache_cache_bus_messages_received_total', API, 'type'),
          legendFormat: 'received {{type}}',
        },
      ],
    },
    {
      title: 'Bus connected',
      description:
        '1 while a replica holds its bus subscription. 0 means it cannot hear its peers: it reads the source instead of L1, and repairs L1 from the replay log once it is back.',
      unit: 'none',
      kind: 'stat',
      queries: [
        { expr: `min by (instance) (clustache_cache_bus_connected{${API}})`, legendFormat: '{{instance}}' },
      ],
    },
    {
      title: 'Reconnects and gaps',
      description:
        'Bus resubscriptions and sequence gaps (messages a replica missed), and the whole-L1 flushes they caused, by reason.',
      unit: 'short',
      queries: [
        {
          expr: `sum by (instance) (increase(clustache_cache_bus_reconnects_total{${API}}[${WINDOW}]))`,
          legendFormat: 'reconnects {{instance}}',
        },
        {
          expr: `sum by (instance) (increase(clustache_cache_bus_gaps_total{${API}}[${WINDOW}]))`,
          legendFormat: 'gaps {{instance}}',
        },
        {
          expr: `sum by (reason) (increase(clustache_cache_l1_flushes_total{${API}}[${WINDOW}]))`,
          legendFormat: 'flushes ({{reason}})',
        },
      ],
    },
    {
      title: 'Dropped bus messages',
      description:
        'Messages ignored on receipt, by reason: own echo, late (older than an invalidation), stale, malformed, unknown format.',
      unit: 'ops',
      stacked: true,
      queries: [
        {
          expr: rate('clustache_cache_bus_messages_dropped_total', API, 'reason'),
          legendFormat: '{{reason}}',
        },
      ],
    },
    {
      title: 'Publish failures and Redis errors',
      description: 'Bus publishes that failed, and failed Redis commands by operation.',
      unit: 'ops',
      queries: [
        { expr: rate('clustache_cache_bus_publish_failures_total', API), legendFormat: 'publish failures' },
        { expr: rate('clustache_cache_redis_errors_total', API, 'operation'), legendFormat: '{{operation}}' },
      ],
    },
  ],
};

const REPAIRS = 'clustache_cache_l1_repairs_total';
/**
 * Recoveries the replay log was asked to cover: a start-up subscription is not a recovery, and a
 * replica with `bus.replayLog.enabled: false` flushes by design (reason "disabled").
 */
const RECOVERIES = `${API}, reason!~"subscribe|disabled"`;

const recoveryRow: RowSpec = {
  title: 'Recovery: L1 repair after missed bus messages',
  panels: [
    {
      title: 'L1 repairs and flushes',
      description:
        'Recoveries per second by outcome and reason: repaired (gap, reconnect) replayed what the replica missed from the replay log and kept its L1; flushed (trimmed, log-lost, unlogged, error, disabled) dropped the whole L1 because repair was impossible.',
      unit: 'ops',
      width: 6,
      stacked: true,
      queries: [{ expr: rate(REPAIRS, API, 'outcome, reason'), legendFormat: '{{outcome}} ({{reason}})' }],
    },
    {
      title: 'Messages applied by repair',
      description:
        'Bus messages per second each replica read back from the replay log and applied while repairing, instead of dropping its L1.',
      unit: 'ops',
      width: 6,
      queries: [
        {
          expr: rate('clustache_cache_l1_repair_messages_total', API, 'instance'),
          legendFormat: '{{instance}}',
        },
      ],
    },
    {
      title: 'Repair duration',
      description:
        'p50 and p99 time from a possible loss of bus messages (a gap or a resubscription) to L1 answering again, repaired or flushed. Empty while no replica recovered.',
      unit: 's',
      width: 6,
      queries: [
        { expr: quantile(0.5, 'clustache_cache_l1_repair_duration_seconds', API), legendFormat: 'p50' },
        { expr: quantile(0.99, 'clustache_cache_l1_repair_duration_seconds', API), legendFormat: 'p99' },
      ],
    },
    {
      title: 'Share of recoveries that flushed',
      description:
        "Flushed / all recoveries, over rates, without start-up subscriptions and replicas whose replay log is off. The dashed line is half: ClustacheL1FlushesNotRepairs warns when more than half of a replica's recoveries flushed over 30 minutes.",
      unit: 'percentunit',
      width: 6,
      min: 0,
      max: 1,
      thresholds: [{ value: 0.5, color: 'orange' }],
      queries: [
        {
          expr: `${rate(REPAIRS, `${RECOVERIES}, outcome="flushed"`)} / ${rate(REPAIRS, RECOVERIES)}`,
          legendFormat: 'flushed',
        },
      ],
    },
  ],
};

const l1Row: RowSpec = {
  title: 'L1: the in-process cache',
  panels: [
    {
      title: 'L1 entries',
      description: "Entries held in each replica's L1.",
      unit: 'short',
      queries: [
        { expr: `sum by (instance) (clustache_cache_l1_entries{${API}})`, legendFormat: '{{instance}}' },
      ],
    },
    {
      title: 'L1 bytes',
      description: "Bytes of values (JSON size) held in each replica's L1.",
      unit: 'bytes',
      queries: [
        { expr: `sum by (instance) (clustache_cache_l1_bytes{${API}})`, legendFormat: '{{instance}}' },
      ],
    },
    {
      title: 'L1 evictions',
      description: 'Entries evicted per second, by reason: capacity (the L1 is full) or expired (TTL).',
      unit: 'ops',
      stacked: true,
      queries: [
        { expr: rate('clustache_cache_l1_evictions_total', API, 'reason'), legendFormat: '{{reason}}' },
      ],
    },
  ],
};

const httpRow: RowSpec = {
  title: 'HTTP: the API',
  panels: [
    {
      title: 'Request rate by route',
      description: 'Requests per second by route template.',
      unit: 'reqps',
      stacked: true,
      queries: [
        {
          expr: `sum by (route) (rate(http_request_duration_seconds_count{${HTTP}}[${WINDOW}]))`,
          legendFormat: '{{route}}',
        },
      ],
    },
    {
      title: 'Errors by route',
      description:
        "Responses per second that were not 2xx, by route and status code. 5xx are ours; 4xx are the callers'.",
      unit: 'reqps',
      queries: [
        {
          expr: `sum by (route, status_code) (rate(http_request_duration_seconds_count{${HTTP}, status_code!~"2.."}[${WINDOW}]))`,
          legendFormat: '{{status_code}} {{route}}',
        },
      ],
    },
    {
      title: 'p99 latency by route',
      description: 'p99 time to answer, per route template.',
      unit: 's',
      queries: [
        { expr: quantile(0.99, 'http_request_duration_seconds', HTTP, 'route'), legendFormat: '{{route}}' },
      ],
    },
    {
      title: 'Replicas up',
      description: 'API replicas Prometheus can scrape.',
      unit: 'none',
      kind: 'stat',
      queries: [{ expr: 'sum(up{job="clustache-api"})', legendFormat: 'up' }],
    },
    {
      title: 'CPU per instance',
      description: "CPU seconds per second used by each replica's process.",
      unit: 'percentunit',
      queries: [
        {
          expr: `sum by (instance) (rate(process_cpu_seconds_total{${HTTP}}[${WINDOW}]))`,
          legendFormat: '{{instance}}',
        },
      ],
    },
    {
      title: 'Memory per instance',
      description: "Resident memory of each replica's process.",
      unit: 'bytes',
      queries: [
        { expr: `sum by (instance) (process_resident_memory_bytes{${HTTP}})`, legendFormat: '{{instance}}' },
      ],
    },
  ],
};

const redisRow: RowSpec = {
  title: 'Redis (from the Redis exporter)',
  panels: [
    {
      title: 'Redis memory',
      description: 'Memory Redis uses, and its maxmemory limit (0 means no limit).',
      unit: 'bytes',
      queries: [
        { expr: `sum(redis_memory_used_bytes{${REDIS}})`, legendFormat: 'used' },
        { expr: `sum(redis_memory_max_bytes{${REDIS}})`, legendFormat: 'max' },
      ],
    },
    {
      title: 'Redis operations',
      description: 'Commands Redis processes per second.',
      unit: 'ops',
      queries: [{ expr: rate('redis_commands_processed_total', REDIS), legendFormat: 'commands' }],
    },
    {
      title: 'Redis clients',
      description: 'Client connections: each replica holds a command connection and a subscriber.',
      unit: 'short',
      queries: [{ expr: `sum(redis_connected_clients{${REDIS}})`, legendFormat: 'clients' }],
    },
    {
      title: 'Redis pub/sub channels',
      description: 'Channels and patterns with at least one subscriber: the bus uses one channel per cache.',
      unit: 'short',
      queries: [
        { expr: `sum(redis_pubsub_channels{${REDIS}})`, legendFormat: 'channels' },
        { expr: `sum(redis_pubsub_patterns{${REDIS}})`, legendFormat: 'patterns' },
      ],
    },
    {
      title: 'Redis up',
      description: '1 while the exporter reaches Redis.',
      unit: 'none',
      kind: 'stat',
      queries: [{ expr: `min(redis_up{${REDIS}})`, legendFormat: 'up' }],
    },
  ],
};

const K6 = 'k6_http_reqs_total';

const loadRow: RowSpec = {
  title: 'Load test (k6 remote write)',
  panels: [
    {
      title: 'Load: requests',
      description: 'Requests per second the load test sends, by status (k6 `http_reqs`).',
      unit: 'reqps',
      stacked: true,
      queries: [{ expr: `sum by (status) (rate(${K6}[${WINDOW}]))`, legendFormat: '{{status}}' }],
    },
    {
      title: 'Load: p99 request duration',
      description:
        'The p99 request duration the load test measures, per request name (k6 `http_req_duration`, default trend stat).',
      unit: 's',
      queries: [{ expr: 'max by (name) (k6_http_req_duration_p99)', legendFormat: '{{name}}' }],
    },
    {
      title: 'Load: failed requests and VUs',
      description:
        'Share of failed requests (k6 `http_req_failed`, left axis) and virtual users (a count, right axis).',
      unit: 'percentunit',
      queries: [
        { expr: 'avg(k6_http_req_failed_rate)', legendFormat: 'failed' },
        { expr: 'sum(k6_vus)', legendFormat: 'VUs', unit: 'short' },
      ],
    },
  ],
};

/** Every panel of the overview, row by row (the tests walk this). */
export const OVERVIEW_ROWS: RowSpec[] = [cacheRow, busRow, recoveryRow, l1Row, httpRow, redisRow, loadRow];

export const OVERVIEW_PANELS: PanelSpec[] = OVERVIEW_ROWS.flatMap((row) => row.panels);

export function overviewDashboard(): Dashboard {
  return dashboard({
    uid: 'clustache-overview',
    title: 'Clustache overview',
    description:
      'Generated from dashboards/src/overview.ts by `npx nx run dashboards:generate`; do not edit the JSON by hand.',
    tags: ['clustache'],
    variables: [
      labelVariable('instance', 'Instance', 'clustache_cache_bus_connected{job="clustache-api"}'),
      labelVariable('cache', 'Cache', 'clustache_cache_bus_connected{job="clustache-api"}'),
    ],
    rows: OVERVIEW_ROWS,
  });
}
