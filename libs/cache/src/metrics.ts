import { Counter, Gauge, Histogram, register as globalRegistry, type Registry } from 'prom-client';
import { REDIS_OPERATIONS } from './redis/gateway';
import { registerScrapedHistogram } from './scraped-histogram';
import { LAG_BUCKETS, REPAIR_BUCKETS, type CacheStats } from './stats';

/** What the metrics read from a live cache at scrape time. */
export interface MetricsSource {
  readonly name: string;
  readonly stats: CacheStats;
  readonly l1Entries: number;
  readonly l1Bytes: number;
  readonly busConnected: boolean;
}

type Reading = number | Record<string, number>;

interface CounterSpec {
  name: string;
  help: string;
  /** One label, or two whose values the reading's keys join with "/" (`repaired/gap`). */
  label?: string | readonly [string, string];
  /**
   * Label values known in advance that the reading may not hold yet: reported at 0 until then, so
   * every series exists from the first scrape and a panel shows 0 instead of "No data".
   */
  labelValues?: readonly string[];
  read: (stats: CacheStats) => Reading;
}

/** Counter names are a contract: the seed dashboard queries the first three exactly as written. */
const COUNTERS: CounterSpec[] = [
  {
    name: 'clustache_cache_filled_from_cache_own',
    help: 'L1 hits on entries this replica loaded or wrote.',
    read: (s) => s.ownHits,
  },
  {
    name: 'clustache_cache_filled_from_cache_subscription',
    help: 'L1 hits on entries filled by a peer over pub/sub.',
    read: (s) => s.subscriptionHits,
  },
  {
    name: 'clustache_cache_filled_from_source',
    help: 'Lookups answered by calling the loader (the source).',
    read: (s) => s.sourceFills,
  },
  {
    name: 'clustache_cache_filled_from_l2',
    help: 'Lookups answered by the shared Redis tier.',
    read: (s) => s.l2Fills,
  },
  { name: 'clustache_cache_hits_total', help: 'L1 hits.', read: (s) => s.hits },
  {
    name: 'clustache_cache_misses_total',
    help: 'L1 misses.',
    read: (s) => s.l2Fills + s.sourceFills + s.misses,
  },
  {
    name: 'clustache_cache_loads_deduplicated_total',
    help: 'Lookups that joined a load in flight.',
    read: (s) => s.loadsDeduplicated,
  },
  {
    name: 'clustache_cache_loader_errors_total',
    help: 'Loader calls that threw.',
    read: (s) => s.loaderErrors,
  },
  {
    name: 'clustache_cache_values_too_large_total',
    help: 'Values not sent on the bus because of their size.',
    read: (s) => s.valuesTooLarge,
  },
  {
    name: 'clustache_cache_stores_rejected_total',
    help: 'Values not stored: no room, or older than an invalidation.',
    read: (s) => s.storesRejected,
  },
  {
    name: 'clustache_cache_stale_served_total',
    help: 'Fail-safe values served because the loader failed or timed out.',
    label: 'reason',
    read: (s) => s.staleServed,
  },
  {
    name: 'clustache_cache_loader_timeouts_total',
    help: 'Loads that exceeded the hard timeout.',
    read: (s) => s.loaderTimeouts,
  },
  {
    name: 'clustache_cache_eager_refreshes_total',
    help: 'Hits that reloaded their entry in the background before it expired.',
    read: (s) => s.eagerRefreshes,
  },
  {
    name: 'clustache_cache_load_leases_total',
    help: 'Misses by load lease outcome: won, filled by a peer, unfilled, unavailable.',
    label: 'outcome',
    read: (s) => s.leases,
  },
  {
    name: 'clustache_cache_conflicts_total',
    help: 'Keys evicted because replicas wrote different values concurrently.',
    read: (s) => s.conflicts,
  },
  {
    name: 'clustache_cache_l1_evictions_total',
    help: 'L1 entries evicted.',
    label: 'reason',
    read: (s) => s.evictions,
  },
  {
    name: 'clustache_cache_l1_flushes_total',
    help: 'Whole-L1 drops because entries could no longer be trusted.',
    label: 'reason',
    read: (s) => s.resyncs,
  },
  {
    name: 'clustache_cache_l1_repairs_total',
    help: 'Recoveries after possibly missed bus messages: repaired from the replay log (reason: what missed them) or flushed (reason: why the log could not repair).',
    label: ['outcome', 'reason'],
    read: (s) => s.repairs,
  },
  {
    name: 'clustache_cache_l1_repair_messages_total',
    help: 'Bus messages applied from the replay log by repairs.',
    read: (s) => s.repairMessages,
  },
  {
    name: 'clustache_cache_l1_warm_messages_total',
    help: 'Bus messages a warm start applied from the replay log (bus.replayLog.warmEntries).',
    read: (s) => s.warmMessages,
  },
  {
    name: 'clustache_cache_bus_messages_published_total',
    help: 'Bus messages published.',
    label: 'type',
    read: (s) => s.published,
  },
  {
    name: 'clustache_cache_bus_publish_failures_total',
    help: 'Bus publishes that failed.',
    read: (s) => s.publishFailures,
  },
  {
    name: 'clustache_cache_bus_messages_received_total',
    help: 'Bus messages received from peers.',
    label: 'type',
    read: (s) => s.received,
  },
  {
    name: 'clustache_cache_bus_messages_dropped_total',
    help: 'Bus messages ignored.',
    label: 'reason',
    read: (s) => s.dropped,
  },
  {
    name: 'clustache_cache_bus_reconnects_total',
    help: 'Bus resubscriptions after a lost subscription.',
    read: (s) => s.reconnects,
  },
  {
    name: 'clustache_cache_bus_gaps_total',
    help: "Sequence gaps detected in a peer's messages.",
    read: (s) => s.gaps,
  },
  {
    name: 'clustache_cache_redis_errors_total',
    help: 'Redis commands that failed.',
    label: 'operation',
    labelValues: REDIS_OPERATIONS,
    read: (s) => s.redisErrors,
  },
];

/** The Prometheus face of all caches on one registry; each cache is one `cache` label value. */
class RegistryMetrics {
  readonly sources = new Set<MetricsSource>();
  private readonly reported = new Map<string, number>();
  readonly loaderDuration: Histogram<'cache'>;

  constructor(registry: Registry) {
    const sources = this.sources;
    for (const spec of COUNTERS) {
      const labelNames = ['cache', ...(spec.label === undefined ? [] : [spec.label].flat())];
      const report = (counter: Counter, cache: string, reading: Reading) =>
        this.report(counter, spec, cache, reading);
      new Counter({
        name: spec.name,
        help: spec.help,
        labelNames,
        registers: [registry],
        collect() {
          for (const source of sources) report(this, source.name, spec.read(source.stats));
        },
      });
    }
    const gauge = (name: string, help: string, read: (source: MetricsSource) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['cache'],
        registers: [registry],
        collect() {
          for (const source of sources) this.set({ cache: source.name }, read(source));
        },
      });
    gauge('clustache_cache_l1_entries', 'Entries in L1.', (s) => s.l1Entries);
    gauge('clustache_cache_l1_bytes', 'Bytes of values in L1 (JSON size).', (s) => s.l1Bytes);
    gauge('clustache_cache_bus_connected', '1 while the bus subscription is in place.', (s) =>
      s.busConnected ? 1 : 0,
    );
    registerScrapedHistogram(
      registry,
      'clustache_cache_bus_lag_seconds',
      'Time from a peer publishing a message to this replica applying it.',
      LAG_BUCKETS,
      () => [...sources].map((source) => [source.name, source.stats.busLag]),
    );
    registerScrapedHistogram(
      registry,
      'clustache_cache_l1_repair_duration_seconds',
      'Time from a possible loss of bus messages to L1 answering again, repaired or flushed.',
      REPAIR_BUCKETS,
      () => [...sources].map((source) => [source.name, source.stats.repairDuration]),
    );
    this.loaderDuration = new Histogram({
      name: 'clustache_cache_loader_duration_seconds',
      help: 'Time the loader (the source) took per load.',
      labelNames: ['cache'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }

  /** Counters only go up: report the increase since the last scrape. */
  private report(counter: Counter, spec: CounterSpec, cache: string, reading: Reading): void {
    const entries: [string | undefined, number][] =
      typeof reading === 'number'
        ? [[undefined, reading]]
        : Object.entries({ ...zeroes(spec.labelValues), ...reading });
    for (const [labelValue, value] of entries) {
      const id = `${spec.name}\u0000${cache}\u0000${labelValue ?? ''}`;
      const labels = labelsOf(spec, cache, labelValue);
      const reported = this.reported.get(id);
      if (reported === undefined || value > reported) counter.inc(labels, value - (reported ?? 0));
      this.reported.set(id, value);
    }
  }
}

function labelsOf(spec: CounterSpec, cache: string, labelValue: string | undefined): Record<string, string> {
  if (spec.label === undefined || labelValue === undefined) return { cache };
  if (typeof spec.label === 'string') return { cache, [spec.label]: labelValue };
  const [first, second] = labelValue.split('/');
  return { cache, [spec.label[0]]: first!, [spec.label[1]]: second ?? '' };
}

function zeroes(labelValues: readonly string[] = []): Record<string, number> {
  return Object.fromEntries(labelValues.map((value) => [value, 0]));
}

const byRegistry = new WeakMap<Registry, RegistryMetrics>();

/** The instruments one cache observes directly (the loader histogram); the rest is read from its stats. */
export interface CacheMetrics {
  observeLoad(seconds: number): void;
  detach(): void;
}

export function attachMetrics(source: MetricsSource, registry: Registry = globalRegistry): CacheMetrics {
  let metrics = byRegistry.get(registry);
  if (metrics === undefined) {
    metrics = new RegistryMetrics(registry);
    byRegistry.set(registry, metrics);
  }
  const owner = metrics;
  owner.sources.add(source);
  const load = owner.loaderDuration.labels({ cache: source.name });
  return {
    observeLoad: (seconds) => load.observe(seconds),
    detach: () => owner.sources.delete(source),
  };
}
