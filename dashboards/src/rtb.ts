import { dashboard, type Dashboard, type PanelSpec, type RowSpec } from './grafana';
import { quantile, rate } from './promql';

/**
 * "Clustache RTB": the RTB workload (issue 7) as the Helm chart deploys it with rtb.enabled.
 * Selectors follow the labels contract with the chart: `job="clustache-rtb-api"` for the
 * contract's API pods, `job="clustache-rtb-aggregator"` for the aggregator pods. The latency
 * panels draw the contract's timeouts; the lag panel the alert's threshold and the contract's.
 */

const API = 'job="clustache-rtb-api"';
const AGGREGATOR = 'job="clustache-rtb-aggregator"';
/** Both roles, for the process panels. */
const EVERY_ROLE = 'job=~"clustache-rtb-api|clustache-rtb-aggregator"';

/** The contract's timeouts, in seconds. */
export const CONTRACT_TIMEOUTS = { userTags: 0.2, userProfiles: 0.2, aggregates: 60 } as const;
/** Tags older than this must be in the aggregates (the contract); RtbAggregationLagging fires at half. */
export const CONTRACT_AGGREGATION_SECONDS = 60;
export const LAG_ALERT_SECONDS = 30;

/** `http_request_duration_seconds` of the RTB API, restricted to the given route templates. */
const routes = (...templates: string[]) => `${API}, route=~"${templates.join('|')}"`;

const tagsRow: RowSpec = {
  title: 'RTB: user tags',
  panels: [
    {
      title: 'Tags accepted, dropped, rejected',
      description:
        'POST /user_tags per second by outcome: accepted (204, on the stream), dropped (503: Redis unavailable, a tag lost; RtbTagsDropped fires on any), rejected (4xx, invalid).',
      unit: 'ops',
      queries: [
        { expr: rate('rtb_user_tags_accepted_total', API), legendFormat: 'accepted' },
        { expr: rate('rtb_user_tags_dropped_total', API), legendFormat: 'dropped' },
        { expr: rate('rtb_user_tags_rejected_total', API), legendFormat: 'rejected' },
      ],
    },
    {
      title: 'RTB requests by route and status',
      description: 'Requests per second the RTB API answers, by route template and status code.',
      unit: 'reqps',
      stacked: true,
      queries: [
        {
          expr: rate('http_request_duration_seconds_count', API, 'route, status_code'),
          legendFormat: '{{status_code}} {{route}}',
        },
      ],
    },
    {
      title: 'Debug mismatches',
      description:
        'Query answers that differed from the expected answer a debug-mode client sent, by endpoint (only with rtb.debug).',
      unit: 'ops',
      queries: [{ expr: rate('rtb_debug_mismatches_total', API, 'endpoint'), legendFormat: '{{endpoint}}' }],
    },
  ],
};

const latencyRow: RowSpec = {
  title: 'RTB: latency against the contract',
  panels: [
    {
      title: 'p99 latency: tags and profiles',
      description:
        'p99 time to answer POST /user_tags and POST /user_profiles/{cookie}; the dashed line is the contract timeout (200 ms).',
      unit: 's',
      width: 12,
      thresholds: [{ value: CONTRACT_TIMEOUTS.userTags, color: 'red' }],
      queries: [
        {
          expr: quantile(
            0.99,
            'http_request_duration_seconds',
            routes('/user_tags', '/user_profiles/:cookie'),
            'route',
          ),
          legendFormat: '{{route}}',
        },
      ],
    },
    {
      title: 'p99 latency: aggregates',
      description: 'p99 time to answer POST /aggregates; the dashed line is the contract timeout (60 s).',
      unit: 's',
      width: 12,
      thresholds: [{ value: CONTRACT_TIMEOUTS.aggregates, color: 'red' }],
      queries: [
        {
          expr: quantile(0.99, 'http_request_duration_seconds', routes('/aggregates'), 'route'),
          legendFormat: '{{route}}',
        },
      ],
    },
  ],
};

const aggregationRow: RowSpec = {
  title: 'RTB: aggregation',
  panels: [
    {
      title: 'Aggregation lag',
      description:
        'Age of the oldest accepted tag not yet in the aggregates (every aggregator reports the group-wide value; max). RtbAggregationLagging fires above 30 s; the contract needs tags older than 60 s in the aggregates.',
      unit: 's',
      thresholds: [
        { value: LAG_ALERT_SECONDS, color: 'orange' },
        { value: CONTRACT_AGGREGATION_SECONDS, color: 'red' },
      ],
      queries: [{ expr: `max(rtb_aggregation_lag_seconds{${AGGREGATOR}})`, legendFormat: 'lag' }],
    },
    {
      title: 'Aggregation backlog',
      description:
        'Accepted tags not applied yet: delivered but unacknowledged plus not yet delivered (max).',
      unit: 'short',
      queries: [{ expr: `max(rtb_aggregation_backlog_tags{${AGGREGATOR}})`, legendFormat: 'backlog' }],
    },
    {
      title: 'Aggregator tags',
      description:
        'Tags per second the aggregators applied to their minute bucket, skipped as duplicates (already applied, after a claim), took over from a stalled aggregator (claimed) or acknowledged past retention (expired); failed rounds.',
      unit: 'ops',
      queries: [
        { expr: rate('rtb_aggregator_tags_applied_total', AGGREGATOR), legendFormat: 'applied' },
        { expr: rate('rtb_aggregator_tags_duplicate_total', AGGREGATOR), legendFormat: 'duplicate' },
        { expr: rate('rtb_aggregator_tags_claimed_total', AGGREGATOR), legendFormat: 'claimed' },
        { expr: rate('rtb_aggregator_tags_expired_total', AGGREGATOR), legendFormat: 'expired' },
        { expr: rate('rtb_aggregator_errors_total', AGGREGATOR), legendFormat: 'failed rounds' },
      ],
    },
    {
      title: 'RTB pods up',
      description: 'RTB API and aggregator pods Prometheus can scrape.',
      unit: 'none',
      kind: 'stat',
      queries: [
        { expr: `sum(up{${API}})`, legendFormat: 'api' },
        { expr: `sum(up{${AGGREGATOR}})`, legendFormat: 'aggregator' },
      ],
    },
    {
      title: 'RTB memory per pod',
      description: 'Resident memory of each RTB process.',
      unit: 'bytes',
      queries: [
        {
          expr: `sum by (instance) (process_resident_memory_bytes{${EVERY_ROLE}})`,
          legendFormat: '{{instance}}',
        },
      ],
    },
    {
      title: 'RTB CPU per pod',
      description: 'CPU seconds per second used by each RTB process.',
      unit: 'percentunit',
      queries: [
        {
          expr: rate('process_cpu_seconds_total', EVERY_ROLE, 'instance'),
          legendFormat: '{{instance}}',
        },
      ],
    },
  ],
};

/** Every panel of the RTB dashboard, row by row (the tests walk this). */
export const RTB_ROWS: RowSpec[] = [tagsRow, latencyRow, aggregationRow];

export const RTB_PANELS: PanelSpec[] = RTB_ROWS.flatMap((row) => row.panels);

export function rtbDashboard(): Dashboard {
  return dashboard({
    uid: 'clustache-rtb',
    title: 'Clustache RTB',
    description:
      'The RTB workload (rtb.enabled). Generated from dashboards/src/rtb.ts by `npx nx run dashboards:generate`; do not edit the JSON by hand.',
    tags: ['clustache', 'rtb'],
    variables: [],
    rows: RTB_ROWS,
  });
}
