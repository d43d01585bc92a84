/**
 * How k6 1.3 with `-o experimental-prometheus-rw` turns what a script does into Prometheus
 * series: every tag of a sample becomes a label (empty values are skipped), and each metric
 * becomes one series per label set and type (`_total` for a counter, `_rate` for a rate, the
 * bare name for a gauge, one `_<stat>` gauge per configured trend stat). Written from k6's
 * source (internal/output/prometheusrw/remotewrite and lib/netext/httpext/transport.go at
 * v1.3.0), so the load scripts' cardinality can be measured without k6.
 */
import type { Emission, MetricType } from './k6-standin/recorder';

/** k6's system tags when `options.systemTags` is not set (metrics.DefaultSystemTagSet). */
export const K6_DEFAULT_SYSTEM_TAGS = [
  'proto',
  'subproto',
  'status',
  'method',
  'url',
  'name',
  'group',
  'check',
  'error',
  'error_code',
  'tls_version',
  'scenario',
  'service',
  'expected_response',
];

/** Every system tag k6 knows; others in `systemTags` are silently dropped by k6. */
export const K6_SYSTEM_TAGS = [...K6_DEFAULT_SYSTEM_TAGS, 'iter', 'vu', 'ocsp_status', 'ip'];

/** What decides the labels: the script's options, the command line and the output's config. */
export interface SeriesSettings {
  /** `options.systemTags`; undefined means k6's default set. */
  systemTags: readonly string[] | undefined;
  /** Test-wide tags: `options.tags` and `--tag` (the chart's Job passes `testid`). */
  runTags: Record<string, string>;
  /** K6_PROMETHEUS_RW_TREND_STATS, split at commas, e.g. ['p(95)', 'p(99)', 'min', 'max', 'avg']. */
  trendStats: readonly string[];
}

export type Labels = Record<string, string>;

/** The metrics one HTTP request feeds, all with the request's labels. */
const HTTP_METRICS: [string, MetricType][] = [
  ['http_reqs', 'counter'],
  ['http_req_failed', 'rate'],
  ['http_req_duration', 'trend'],
  ['http_req_blocked', 'trend'],
  ['http_req_connecting', 'trend'],
  ['http_req_tls_handshaking', 'trend'],
  ['http_req_sending', 'trend'],
  ['http_req_waiting', 'trend'],
  ['http_req_receiving', 'trend'],
];

/** The metrics k6 feeds at the end of every iteration, with the VU's labels. */
const ITERATION_METRICS: [string, MetricType][] = [
  ['iterations', 'counter'],
  ['iteration_duration', 'trend'],
  ['data_sent', 'counter'],
  ['data_received', 'counter'],
];

/** The labels of an emission's samples (without `__name__`). */
export function labelsOf(emission: Emission, settings: SeriesSettings): Labels {
  const enabled = new Set(settings.systemTags ?? K6_DEFAULT_SYSTEM_TAGS);
  const tags: Labels = { ...settings.runTags };
  const system = (tag: string, value: string | undefined) => {
    if (enabled.has(tag) && value !== undefined) tags[tag] = value;
  };
  system('group', emission.context.group);
  system('scenario', emission.context.scenario);
  if (emission.kind !== 'iteration') Object.assign(tags, emission.tags);
  if (emission.kind === 'check') system('check', emission.name);
  if (emission.kind === 'http') {
    // Since k6 0.41 a request named by the script has `url` = its name; an unnamed one has
    // both `name` and `url` = its URL.
    const name = emission.tags['name'];
    if (name !== undefined) system('url', name);
    else {
      system('name', emission.url);
      system('url', emission.url);
    }
    system('method', emission.method);
    system('status', String(emission.status));
    if (emission.status >= 400) system('error_code', String(1000 + emission.status));
    system('proto', 'HTTP/1.1');
    system('expected_response', String(emission.expected));
  }
  for (const [key, value] of Object.entries(tags)) if (value === '') delete tags[key];
  return tags;
}

/** The series names a sample of `metric` writes, e.g. k6_http_req_duration_p95. */
export function seriesNames(metric: string, type: MetricType, trendStats: readonly string[]): string[] {
  const base = `k6_${metric}`;
  switch (type) {
    case 'counter':
      return [`${base}_total`];
    case 'rate':
      return [`${base}_rate`];
    case 'gauge':
      return [base];
    case 'trend':
      return trendStats.map((stat) => `${base}_${statKey(stat)}`);
  }
}

/** p(95) → p95, p(99.9) → p999, others as they are (the output's naming). */
function statKey(stat: string): string {
  const percentile = /^p\((.+)\)$/.exec(stat);
  return percentile ? `p${percentile[1]!.replace(/\./g, '')}` : stat;
}

/** The metrics an emission feeds. */
function metricsOf(emission: Emission): [string, MetricType][] {
  switch (emission.kind) {
    case 'http':
      return HTTP_METRICS;
    case 'check':
      return [['checks', 'rate']];
    case 'metric':
      return [[emission.metric, emission.type]];
    case 'iteration':
      return ITERATION_METRICS;
  }
}

/** A label set as one comparable string, keys sorted, in Prometheus's notation: a="1",b="2". */
export function labelKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((key) => `${key}="${labels[key]}"`)
    .join(',');
}

/**
 * Collects distinct label sets and series over any number of emissions (fed in chunks, so an
 * hour of load needs no hour of memory).
 */
export class SeriesCount {
  /** Distinct label sets of HTTP request samples. */
  readonly requestLabelSets = new Set<string>();
  /** Distinct label sets of every sample. */
  readonly labelSets = new Set<string>();
  /** Distinct series: name plus label set. */
  readonly series = new Set<string>();
  /** What fed which label set already: the series it writes are counted. */
  private readonly seen = new Set<string>();

  constructor(private readonly settings: SeriesSettings) {
    // k6's vus and vus_max gauges carry only the test-wide tags.
    const run = labelKey(settings.runTags);
    this.labelSets.add(run);
    for (const name of ['k6_vus', 'k6_vus_max']) this.series.add(`${name}{${run}}`);
  }

  add(emissions: readonly Emission[]): this {
    for (const emission of emissions) {
      const key = labelKey(labelsOf(emission, this.settings));
      const feeds = emission.kind === 'metric' ? `${emission.type} ${emission.metric}` : emission.kind;
      if (this.seen.has(`${feeds}|${key}`)) continue;
      this.seen.add(`${feeds}|${key}`);
      this.labelSets.add(key);
      if (emission.kind === 'http') this.requestLabelSets.add(key);
      for (const [metric, type] of metricsOf(emission))
        for (const name of seriesNames(metric, type, this.settings.trendStats))
          this.series.add(`${name}{${key}}`);
    }
    return this;
  }
}
