import { formatValue } from './console/svg-chart';
import type { PrometheusApi } from './prometheus-api';

const API = 'job="clustache-api"';
const rate = (metric: string) => `sum(rate(${metric}{${API}}[1m]))`;

/** The numbers of the one-line summary, each a PromQL query over the last minute. */
export const STATUS_QUERIES = {
  fill: `(${rate('clustache_cache_filled_from_cache_own')} + ${rate('clustache_cache_filled_from_cache_subscription')}) / (${rate('clustache_cache_filled_from_cache_own')} + ${rate('clustache_cache_filled_from_cache_subscription')} + ${rate('clustache_cache_filled_from_l2')} + ${rate('clustache_cache_filled_from_source')})`,
  pubsub: `${rate('clustache_cache_filled_from_cache_subscription')} / (${rate('clustache_cache_filled_from_cache_own')} + ${rate('clustache_cache_filled_from_cache_subscription')})`,
  p99: `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{${API}}[1m])))`,
  rps: rate('http_request_duration_seconds_count'),
  up: `sum(up{${API}})`,
};

/**
 * The terminal's running summary, every few seconds: fill ratio, pub/sub share, p99 latency,
 * request rate, replicas up and the alerts firing, so `npm start` shows how the cache is doing
 * without opening anything.
 */
export async function statusLine(prometheus: PrometheusApi, replicas: number): Promise<string> {
  const value = (expr: string) => prometheus.scalar(expr).catch(() => undefined);
  const [fill, pubsub, p99, rps, up, alerts] = await Promise.all([
    value(STATUS_QUERIES.fill),
    value(STATUS_QUERIES.pubsub),
    value(STATUS_QUERIES.p99),
    value(STATUS_QUERIES.rps),
    value(STATUS_QUERIES.up),
    prometheus.alerts().catch(() => []),
  ]);
  const show = (v: number | undefined, unit: 'percent' | 'seconds' | 'perSecond') =>
    v === undefined ? '–' : formatValue(v, unit);
  const firing = alerts.filter((alert) => alert.state === 'firing').map((alert) => alert.labels['alertname']);
  const time = new Date().toTimeString().slice(0, 8);
  return (
    `[${time}] fill ${show(fill, 'percent')} · pub/sub ${show(pubsub, 'percent')} · p99 ${show(p99, 'seconds')} · ` +
    `${show(rps, 'perSecond').replace('/s', ' req/s')} · replicas up ${up ?? '–'}/${replicas} · ` +
    `alerts firing: ${firing.length > 0 ? [...new Set(firing)].join(', ') : 'none'}`
  );
}
