import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * The aggregators' metrics, one set per registry however many aggregators a process runs. The
 * lag and backlog gauges describe the whole consumer group (every aggregator reports the same
 * value; dashboards take the max).
 */
export class AggregatorMetrics {
  readonly applied: Counter;
  readonly duplicates: Counter;
  readonly expired: Counter;
  readonly claimed: Counter;
  readonly errors: Counter;
  readonly lagSeconds: Gauge;
  readonly backlog: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.applied = new Counter({
      name: 'rtb_aggregator_tags_applied_total',
      help: 'Tags added to their 1-minute bucket.',
      registers,
    });
    this.duplicates = new Counter({
      name: 'rtb_aggregator_tags_duplicate_total',
      help: 'Tags skipped because another aggregator had applied them already (after a claim).',
      registers,
    });
    this.expired = new Counter({
      name: 'rtb_aggregator_tags_expired_total',
      help: 'Tags acknowledged but not stored: older than the retention window behind the newest minute.',
      registers,
    });
    this.claimed = new Counter({
      name: 'rtb_aggregator_tags_claimed_total',
      help: 'Tags taken over from an aggregator that stopped acknowledging them.',
      registers,
    });
    this.errors = new Counter({
      name: 'rtb_aggregator_errors_total',
      help: 'Failed aggregator rounds (Redis unreachable and the like); the round is retried.',
      registers,
    });
    this.lagSeconds = new Gauge({
      name: 'rtb_aggregation_lag_seconds',
      help: 'Age of the oldest accepted tag the aggregators have not applied yet (0 when caught up).',
      registers,
    });
    this.backlog = new Gauge({
      name: 'rtb_aggregation_backlog_tags',
      help: 'Accepted tags not applied yet: delivered but unacknowledged plus not yet delivered.',
      registers,
    });
  }
}
