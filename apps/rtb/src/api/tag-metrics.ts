import { Counter, type Registry } from 'prom-client';

/**
 * What became of each `POST /user_tags`: accepted (204), dropped (we failed: Redis unavailable,
 * 503) or rejected (the client's mistake, 4xx). Dropped tags are the number the seed's authors
 * lost thousands of; an alert fires on any.
 */
export class TagMetrics {
  readonly accepted: Counter;
  readonly dropped: Counter;
  readonly rejected: Counter;
  readonly debugMismatches: Counter<'endpoint'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.accepted = new Counter({
      name: 'rtb_user_tags_accepted_total',
      help: 'User tags stored (204).',
      registers,
    });
    this.dropped = new Counter({
      name: 'rtb_user_tags_dropped_total',
      help: 'User tags we could not store (503: Redis unavailable).',
      registers,
    });
    this.rejected = new Counter({
      name: 'rtb_user_tags_rejected_total',
      help: 'User tags refused as invalid (4xx).',
      registers,
    });
    this.debugMismatches = new Counter({
      name: 'rtb_debug_mismatches_total',
      help: 'Query answers that differed from the expected answer a debug-mode client sent (RTB_DEBUG=1).',
      labelNames: ['endpoint'],
      registers,
    });
    // Both series exist from the start (at 0), so dashboards and alerts see them before any mismatch.
    for (const endpoint of ['user_profiles', 'aggregates']) this.debugMismatches.labels({ endpoint }).inc(0);
  }
}
