import type { Registry } from 'prom-client';

/**
 * A replica's metrics as its /metrics page would show them at one instant, flattened to
 * `name{label="value",…}` → value (histograms as their `_sum` and `_count`), so two snapshots
 * taken around a phase subtract into what happened during it. Read through the registry rather
 * than the engine's internals: a benchmark sees what an operator's Prometheus sees.
 */
export type MetricSnapshot = Record<string, number>;

export async function snapshotMetrics(registry: Registry, prefix: string): Promise<MetricSnapshot> {
  const snapshot: MetricSnapshot = {};
  for (const metric of await registry.getMetricsAsJSON()) {
    if (!metric.name.startsWith(prefix)) continue;
    for (const sample of metric.values as { value: number; labels: object; metricName?: string }[]) {
      const name = sample.metricName ?? metric.name;
      if (name.endsWith('_bucket')) continue;
      const labels = Object.entries(sample.labels)
        .filter(([label]) => label !== 'cache')
        .map(([label, value]) => `${label}="${String(value)}"`)
        .join(',');
      snapshot[labels === '' ? name : `${name}{${labels}}`] = sample.value;
    }
  }
  return snapshot;
}

/** `after − before`, series by series (a series missing before counts from 0). */
export function subtractMetrics(after: MetricSnapshot, before: MetricSnapshot): MetricSnapshot {
  const change: MetricSnapshot = {};
  for (const [series, value] of Object.entries(after)) change[series] = value - (before[series] ?? 0);
  return change;
}

/** Sums snapshots series by series (a fleet's replicas). */
export function addMetrics(snapshots: readonly MetricSnapshot[]): MetricSnapshot {
  const total: MetricSnapshot = {};
  for (const snapshot of snapshots)
    for (const [series, value] of Object.entries(snapshot)) total[series] = (total[series] ?? 0) + value;
  return total;
}

/**
 * The series of one metric whose labels include `where` (e.g. `outcome="repaired"`), keyed by
 * the value of `by` (e.g. `reason`); zeros left out. Empty when the engine has no such metric.
 */
export function seriesOf(
  snapshot: MetricSnapshot,
  name: string,
  by?: string,
  where?: string,
): Record<string, number> {
  const found: Record<string, number> = {};
  for (const [series, value] of Object.entries(snapshot)) {
    if (value === 0) continue;
    const brace = series.indexOf('{');
    if ((brace === -1 ? series : series.slice(0, brace)) !== name) continue;
    const labels = brace === -1 ? '' : series.slice(brace + 1, -1);
    if (where !== undefined && !labels.split(',').includes(where)) continue;
    const key = by === undefined ? '' : (new RegExp(`${by}="([^"]*)"`).exec(labels)?.[1] ?? '');
    found[key] = (found[key] ?? 0) + value;
  }
  return found;
}

export function total(values: Record<string, number>): number {
  return Object.values(values).reduce((sum, value) => sum + value, 0);
}
