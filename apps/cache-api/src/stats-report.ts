import type { CoherentCache } from '@clustache/cache';

/** What `GET /stats` answers for one instance. */
export interface StatsBody {
  instanceId: string;
  /** When the counters were last reset (or the instance started). */
  since: string;
  hits: number;
  misses: number;
  /** hits / (hits + misses); 0 before the first lookup. */
  hitRate: number;
  /** Entries and bytes (JSON size) in this replica's memory. */
  keys: number;
  bytes: number;
  /** Where answers came from: L1 entries this replica filled, ones a peer published, L2, the source. */
  fills: { own: number; subscription: number; l2: number; source: number };
  busConnected: boolean;
}

type Counters = { own: number; subscription: number; l2: number; source: number; notFound: number };

/**
 * Seed 003's per-instance statistics with a reset. The engine's counters only go up (Prometheus
 * needs that), so a reset records a baseline here and `/stats` reports the difference.
 */
export class StatsReport {
  private baseline: Counters = { own: 0, subscription: 0, l2: 0, source: 0, notFound: 0 };
  private since = new Date();

  constructor(
    private readonly instanceId: string,
    private readonly cache: CoherentCache,
  ) {}

  read(): StatsBody {
    const now = this.counters();
    const base = this.baseline;
    const fills = {
      own: now.own - base.own,
      subscription: now.subscription - base.subscription,
      l2: now.l2 - base.l2,
      source: now.source - base.source,
    };
    const hits = fills.own + fills.subscription;
    const misses = fills.l2 + fills.source + (now.notFound - base.notFound);
    return {
      instanceId: this.instanceId,
      since: this.since.toISOString(),
      hits,
      misses,
      hitRate: hits + misses === 0 ? 0 : hits / (hits + misses),
      keys: this.cache.l1Entries,
      bytes: this.cache.l1Bytes,
      fills,
      busConnected: this.cache.busConnected,
    };
  }

  reset(): StatsBody {
    this.baseline = this.counters();
    this.since = new Date();
    return this.read();
  }

  private counters(): Counters {
    const { ownHits, subscriptionHits, l2Fills, sourceFills, misses } = this.cache.stats;
    return {
      own: ownHits,
      subscription: subscriptionHits,
      l2: l2Fills,
      source: sourceFills,
      notFound: misses,
    };
  }
}
