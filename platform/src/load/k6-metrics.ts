import type { Series } from './remote-write';

/** What one finished request adds to the metrics. */
export interface RequestOutcome {
  method: string;
  /** Route template, k6's `name` tag. */
  name: string;
  /** HTTP status, 0 when no response arrived. */
  status: number;
  expected: boolean;
  durationMs: number;
}

interface Tally {
  labels: Record<string, string>;
  count: number;
  /** Durations (ms) since the last flush. */
  durations: number[];
}

/**
 * The load's own measurements, named and shaped as k6's `experimental-prometheus-rw` output
 * writes them (k6_http_reqs_total, k6_http_req_duration_p99 in seconds, k6_http_req_failed_rate,
 * k6_vus), so the dashboard's load-test row reads a local run and a k6 Job alike. One
 * difference: the p99 and the failed rate cover the last push interval, where k6's cover the run.
 */
export class K6Metrics {
  private readonly tallies = new Map<string, Tally>();
  private failed = 0;
  private finished = 0;
  private vus = 0;

  constructor(private readonly commonLabels: Record<string, string>) {}

  record(outcome: RequestOutcome): void {
    const labels = {
      ...this.commonLabels,
      method: outcome.method,
      name: outcome.name,
      status: String(outcome.status),
      expected_response: String(outcome.expected),
    };
    const id = JSON.stringify(labels);
    let tally = this.tallies.get(id);
    if (tally === undefined) {
      tally = { labels, count: 0, durations: [] };
      this.tallies.set(id, tally);
    }
    tally.count++;
    tally.durations.push(outcome.durationMs);
    this.finished++;
    if (!outcome.expected) this.failed++;
  }

  /** Virtual users: requests in flight right now. */
  setVus(count: number): void {
    this.vus = count;
  }

  /** Series to push now; interval statistics start over. */
  flush(nowMs: number): Series[] {
    const series: Series[] = [];
    const add = (name: string, labels: Record<string, string>, value: number) =>
      series.push({ labels: { __name__: name, ...labels }, value, timestampMs: nowMs });
    for (const tally of this.tallies.values()) {
      add('k6_http_reqs_total', tally.labels, tally.count);
      if (tally.durations.length > 0)
        add('k6_http_req_duration_p99', tally.labels, percentile(tally.durations, 0.99) / 1000);
      tally.durations = [];
    }
    if (this.finished > 0) add('k6_http_req_failed_rate', this.commonLabels, this.failed / this.finished);
    add('k6_vus', this.commonLabels, this.vus);
    this.failed = 0;
    this.finished = 0;
    return series;
  }
}

/** Nearest-rank percentile of a non-empty list. */
export function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
