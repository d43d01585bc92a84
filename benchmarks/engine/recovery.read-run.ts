import type { CoherentCache, Loader } from '@clustache/cache';
import type { MetricSnapshot } from '../lib/metric-snapshot';
import { sleep, wallClockMs } from '../lib/replica-child';
import type { ReadPlan, ReadReport } from './recovery.protocol';

/** How often the read loop wakes up to issue the reads due, and the bus watch looks at the subscription. */
const TICK_MS = 2;
const WATCH_MS = 5;
/** L1's size is sampled every this many watches (50 ms). */
const ENTRIES_EVERY = 10;
/** Never read longer than this, whatever happens to the parent's `blipOver`. */
const MAX_RUN_MS = 120_000;

/**
 * One replica's reading during the recovery benchmark: random keys through `getOrLoad` at a
 * steady rate, issued on schedule whether or not earlier reads have answered (so a slow recovery
 * cannot slow the reader down and hide itself). A read is a hit when L1 answered it on the spot:
 * the cache's hit counter moved during the call. Hits, reads and source loads are counted per
 * bucket of wall-clock time; the bus subscription's state is watched so the parent can line the
 * replicas up on the moment each came back.
 */
export class ReadRun<V extends { v: number }> {
  private readonly reads: number[] = [];
  private readonly hits: number[] = [];
  private readonly loads: number[] = [];
  private readonly transitions: [number, boolean][] = [];
  private readonly entries: [number, number][] = [];
  private readonly records: [number, number, number, boolean][] = [];
  private readonly written: Set<number>;
  private errors = 0;
  private pending = 0;
  private worstStallMs = 0;
  private until: number;
  private readonly watch: NodeJS.Timeout;

  constructor(
    private readonly cache: CoherentCache<V>,
    private readonly plan: ReadPlan,
    private readonly metricsBefore: MetricSnapshot,
  ) {
    this.written = new Set(plan.written);
    this.until = plan.startAt + MAX_RUN_MS;
    let connected = cache.busConnected;
    this.transitions.push([wallClockMs(), connected]);
    let ticks = 0;
    this.watch = setInterval(() => {
      if (ticks++ % ENTRIES_EVERY === 0) this.entries.push([wallClockMs(), cache.l1Entries]);
      if (cache.busConnected === connected) return;
      connected = !connected;
      this.transitions.push([wallClockMs(), connected]);
    }, WATCH_MS);
  }

  /** A loader call starting at `at`. */
  loaded(at: number): void {
    this.count(this.loads, at);
  }

  stopAt(at: number): void {
    this.until = at;
  }

  stop(): void {
    this.until = 0;
  }

  /**
   * When the subscription came back for good after the last kill at `lastKillAt`: it is up, and
   * its last change (up) came after that kill. Undefined if it is not back within `timeoutMs`.
   */
  async backAfter(lastKillAt: number, timeoutMs: number): Promise<number | undefined> {
    const deadline = wallClockMs() + timeoutMs;
    for (;;) {
      const [at, connected] = this.transitions[this.transitions.length - 1]!;
      if (connected && at >= lastKillAt && this.cache.busConnected) return at;
      if (wallClockMs() > deadline) return undefined;
      await sleep(WATCH_MS);
    }
  }

  async readUntilStopped(loader: Loader<V>): Promise<void> {
    const { startAt, perSecond, keys } = this.plan;
    let issued = 0;
    let last = wallClockMs();
    while (wallClockMs() < this.until) {
      const now = wallClockMs();
      this.worstStallMs = Math.max(this.worstStallMs, now - last);
      last = now;
      const due = Math.floor(((now - startAt) * perSecond) / 1000);
      for (; issued < due; issued++) this.readOne(Math.floor(Math.random() * keys), loader);
      await sleep(TICK_MS);
    }
    clearInterval(this.watch);
    const deadline = wallClockMs() + 10_000;
    while (this.pending > 0 && wallClockMs() < deadline) await sleep(10);
  }

  report(metricsAfter: MetricSnapshot): ReadReport {
    const length = Math.max(this.reads.length, this.loads.length);
    const dense = (sparse: number[]) => Array.from({ length }, (_, i) => sparse[i] ?? 0);
    return {
      startAt: this.plan.startAt,
      bucketMs: this.plan.bucketMs,
      reads: dense(this.reads),
      hits: dense(this.hits),
      loads: dense(this.loads),
      transitions: this.transitions,
      entries: this.entries,
      records: this.records,
      errors: this.errors,
      worstStallMs: this.worstStallMs,
      unanswered: this.pending,
      metricsBefore: this.metricsBefore,
      metricsAfter,
    };
  }

  private readOne(index: number, loader: Loader<V>): void {
    const at = wallClockMs();
    const hitsBefore = this.cache.stats.hits;
    const read = this.cache.getOrLoad(`product:${index}`, loader);
    const hit = this.cache.stats.hits !== hitsBefore;
    this.count(this.reads, at);
    if (hit) this.count(this.hits, at);
    this.pending++;
    read.then(
      (value) => {
        this.pending--;
        if (this.written.has(index)) this.records.push([index, value?.v ?? -1, at, hit]);
      },
      () => {
        this.pending--;
        this.errors++;
      },
    );
  }

  private count(buckets: number[], at: number): void {
    const bucket = Math.floor((at - this.plan.startAt) / this.plan.bucketMs);
    if (bucket >= 0) buckets[bucket] = (buckets[bucket] ?? 0) + 1;
  }
}
