import type { BusMessage } from './bus/message';

/** Why L1 was dropped: at start, or because messages may have been missed and could not be repaired. */
export type ResyncReason = 'subscribe' | 'reconnect' | 'gap' | 'silence' | 'unreadable' | RepairFailure;
/** What sends a replica to the replay log. */
export type RepairTrigger = 'gap' | 'reconnect';
/**
 * Why the replay log could not repair: trimmed past this replica's position, lost (Redis
 * restarted without persistence, a failover lost its last entries), missing a peer's publish
 * (it failed, so it was never logged), unreadable (Redis did not answer), or turned off.
 */
export type RepairFailure = 'trimmed' | 'log-lost' | 'unlogged' | 'error' | 'disabled';
export type DropReason = 'own' | 'late' | 'stale' | 'malformed' | 'format';

type Tally<K extends string> = Record<K, number>;

const tally = <K extends string>(...keys: K[]): Tally<K> =>
  Object.fromEntries(keys.map((key) => [key, 0])) as Tally<K>;

const messageTypes = (): Tally<BusMessage['type']> =>
  tally('put', 'delete', 'deletePattern', 'clear', 'abandon', 'leave', 'heartbeat');

/**
 * A histogram as plain numbers, for paths taken per message: observing scans a dozen bounds and
 * adds twice, with no allocation and no label lookup. Metrics read it at scrape time.
 */
export class Buckets {
  /** Observations per bucket (not cumulative); the last counts those above every bound. */
  readonly counts: number[];
  sum = 0;

  constructor(readonly bounds: readonly number[]) {
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }

  observe(value: number): void {
    let bucket = 0;
    while (bucket < this.bounds.length && value > this.bounds[bucket]!) bucket++;
    this.counts[bucket]++;
    this.sum += value;
  }
}

/** Upper bounds, in seconds, of the repair duration histogram's buckets. */
export const REPAIR_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Upper bounds, in seconds, of the bus lag histogram's buckets. */
export const LAG_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/**
 * Every path through the cache increments one named counter here, as plain numbers, so the
 * read path stays a few field increments; Prometheus metrics are read from it at scrape time.
 */
export class CacheStats {
  /** L1 hits on entries this replica loaded or wrote. */
  ownHits = 0;
  /** L1 hits on entries a peer published. */
  subscriptionHits = 0;
  /** L1 misses answered by the shared Redis tier. */
  l2Fills = 0;
  /** L1 misses answered by the loader (the source). */
  sourceFills = 0;
  /** Lookups with no value anywhere (`get` misses, loaders returning undefined). */
  misses = 0;
  /** Concurrent lookups that joined a load already in flight instead of calling the loader. */
  loadsDeduplicated = 0;
  loaderErrors = 0;
  /** Values larger than `bus.maxValueBytes`: peers were told to drop their copy instead. */
  valuesTooLarge = 0;
  /** Values a store refused (no room, or a fill older than a remembered invalidation). */
  storesRejected = 0;
  /** Fail-safe values served instead of a fresh load, by why the load did not answer. */
  staleServed = tally('error', 'softTimeout', 'hardTimeout');
  /** Loads abandoned by the hard timeout. */
  loaderTimeouts = 0;
  /** Hits that started a background reload (eager refresh). */
  eagerRefreshes = 0;
  /** Load leases: won (this replica loaded), filled (a peer's fill arrived), unfilled (waited in vain, loaded itself), unavailable (Redis down). */
  leases = tally('won', 'filled', 'unfilled', 'unavailable');
  /** Keys evicted because two replicas wrote different values concurrently (within the clock skew). */
  conflicts = 0;
  evictions = tally('capacity', 'expired');
  /** Whole-L1 drops because entries could no longer be trusted. */
  resyncs = tally<ResyncReason>(
    'subscribe',
    'reconnect',
    'gap',
    'silence',
    'unreadable',
    'trimmed',
    'log-lost',
    'unlogged',
    'error',
    'disabled',
  );
  /** Recoveries after a possible loss, `outcome/reason`: repaired from the replay log (by trigger) or flushed (by why not). */
  repairs = tally(
    'repaired/gap',
    'repaired/reconnect',
    'flushed/trimmed',
    'flushed/log-lost',
    'flushed/unlogged',
    'flushed/error',
    'flushed/disabled',
  );
  /** Messages applied from the replay log. */
  repairMessages = 0;
  /** Messages a warm start applied from the replay log. */
  warmMessages = 0;
  /** Seconds from a possible loss to L1 answering again (repaired or flushed). */
  repairDuration = new Buckets(REPAIR_BUCKETS);
  published = messageTypes();
  publishFailures = 0;
  received = messageTypes();
  dropped = tally<DropReason>('own', 'late', 'stale', 'malformed', 'format');
  reconnects = 0;
  gaps = 0;
  /** Seconds from a peer publishing a message to this replica applying it. */
  busLag = new Buckets(LAG_BUCKETS);
  redisErrors: Record<string, number> = {};

  get hits(): number {
    return this.ownHits + this.subscriptionHits;
  }
}
