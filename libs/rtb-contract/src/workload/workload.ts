import { isDeepStrictEqual } from 'node:util';
import { AGGREGATES, type Aggregate, type AggregatesQuery } from '../aggregates-query';
import { formatBucket, formatProfileTime, MINUTE_MS } from '../time-range';
import type { Action } from '../user-tag';
import { HttpClient } from './http-client';
import { KindTally, type KindReport } from './kind-tally';
import { Sequence } from './random';
import { ReferenceModel } from './reference-model';
import {
  brandName,
  categoryName,
  cookieName,
  originName,
  STREAM_SHAPE,
  TagGenerator,
  type GeneratedTag,
} from './tag-generator';

export interface WorkloadOptions {
  baseUrl: string;
  seed: number;
  /** @default 1000 (the contract's rate) */
  tagsPerSecond?: number;
  durationMs: number;
  /** One profile query per this many tags. @default 10 */
  profileEvery?: number;
  /** One aggregates query per this many tags. @default 1000 */
  aggregateEvery?: number;
  /** Aggregates queries cover only tags accepted at least this long ago. @default 60000 (the contract's minute) */
  aggregateVisibilityMs?: number;
  /** The API's aggregate retention: queries and the final check stay inside it. @default 24 h */
  aggregateRetentionMs?: number;
  /** Profile queries reach back at most this far in tag time; keep it within the API's profile retention. @default 600000 */
  profileWindowMs?: number;
  /** The API's RTB_PROFILE_TAGS. @default 200 */
  profileTags?: number;
  /** @default 256 */
  maxInFlight?: number;
  /** After the run, wait for visibility and check every minute's totals too. @default true */
  finalCheck?: boolean;
  progress?: (line: string) => void;
  /** @default 10000 */
  progressEveryMs?: number;
}

export interface WorkloadReport {
  seconds: number;
  tags: KindReport;
  profiles: KindReport;
  aggregates: KindReport;
  /** The generator could not keep the rate: the most a tag went out after its slot. */
  maxScheduleLagMs: number;
  /** The first few wrong answers, for whoever has to debug them. */
  mismatches: string[];
}

const TIMEOUT_MS = { tags: 200, profiles: 200, aggregates: 60_000 };
const AGGREGATE_SETS: Aggregate[][] = [
  ['COUNT'],
  ['SUM_PRICE'],
  ['COUNT', 'SUM_PRICE'],
  ['SUM_PRICE', 'COUNT'],
];

/**
 * The contract's workload against a running RTB API: tags at a steady rate from the
 * deterministic generator, a profile query per 10 tags and an aggregates query per 1000, each
 * answer checked against the reference model. Queries are built so their right answer is
 * certain: a profile asks only about tags already acknowledged, for a cookie with no tag in
 * flight, and aggregates only about tags acknowledged `aggregateVisibilityMs` ago.
 */
export class Workload {
  private readonly generator: TagGenerator;
  private readonly model: ReferenceModel;
  private readonly http: HttpClient;
  private readonly random: Sequence;
  private readonly options: Required<Omit<WorkloadOptions, 'progress'>> & Pick<WorkloadOptions, 'progress'>;
  private readonly kinds = {
    tags: new KindTally(TIMEOUT_MS.tags),
    profiles: new KindTally(TIMEOUT_MS.profiles),
    aggregates: new KindTally(TIMEOUT_MS.aggregates),
  };
  private readonly mismatches: string[] = [];
  private acknowledged = new Uint8Array(1 << 16);
  /** Every tag up to and including this one is acknowledged. */
  private prefix = -1;
  private readonly prefixHistory: { atMs: number; prefix: number }[] = [];
  private readonly inFlightByCookie = new Map<number, number>();
  private inFlight = 0;
  private readonly pending = new Set<Promise<void>>();
  private maxScheduleLagMs = 0;
  private stopping = false;

  constructor(options: WorkloadOptions) {
    this.options = {
      tagsPerSecond: 1000,
      profileEvery: 10,
      aggregateEvery: 1000,
      aggregateVisibilityMs: 60_000,
      profileWindowMs: 600_000,
      aggregateRetentionMs: 24 * 60 * MINUTE_MS,
      profileTags: 200,
      maxInFlight: 256,
      finalCheck: true,
      progressEveryMs: 10_000,
      ...options,
    };
    this.generator = new TagGenerator(options.seed);
    this.model = new ReferenceModel(this.generator, this.options.profileTags);
    this.http = new HttpClient(new URL(options.baseUrl), this.options.maxInFlight + 16);
    this.random = new Sequence(options.seed ^ 0x5eed);
  }

  async run(): Promise<WorkloadReport> {
    const started = performance.now();
    const { tagsPerSecond, durationMs, profileEvery, aggregateEvery } = this.options;
    const total = Math.floor((durationMs / 1000) * tagsPerSecond);
    let next = 0;
    let lastProgress = started;
    while (next < total && !this.stopping) {
      const elapsed = performance.now() - started;
      const due = Math.min(total, Math.floor((elapsed / 1000) * tagsPerSecond) + 1);
      while (next < due && this.inFlight < this.options.maxInFlight) {
        this.maxScheduleLagMs = Math.max(this.maxScheduleLagMs, elapsed - (next / tagsPerSecond) * 1000);
        this.track(this.sendTag(this.generator.tag(next)));
        if (next % profileEvery === 0) this.track(this.queryProfile());
        if (next % aggregateEvery === 0) this.track(this.queryAggregates());
        next += 1;
      }
      this.notePrefix();
      if (performance.now() - lastProgress >= this.options.progressEveryMs) {
        lastProgress = performance.now();
        this.options.progress?.(this.progressLine(elapsed));
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await this.settle();
    if (this.options.finalCheck) await this.checkEveryMinute(total);
    this.http.close();
    return {
      seconds: (performance.now() - started) / 1000,
      tags: this.kinds.tags.report(),
      profiles: this.kinds.profiles.report(),
      aggregates: this.kinds.aggregates.report(),
      maxScheduleLagMs: this.maxScheduleLagMs,
      mismatches: this.mismatches,
    };
  }

  /** Ends the run early: no new requests; `run()` resolves once those in flight are answered. */
  stop(): void {
    this.stopping = true;
  }

  private track(work: Promise<void>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  private async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private async sendTag(generated: GeneratedTag): Promise<void> {
    this.inFlight += 1;
    this.inFlightByCookie.set(generated.cookie, (this.inFlightByCookie.get(generated.cookie) ?? 0) + 1);
    this.kinds.tags.sent += 1;
    const reply = await this.http.post('/user_tags', JSON.stringify(generated.tag));
    this.inFlight -= 1;
    const left = this.inFlightByCookie.get(generated.cookie)! - 1;
    if (left === 0) this.inFlightByCookie.delete(generated.cookie);
    else this.inFlightByCookie.set(generated.cookie, left);
    if (!this.kinds.tags.record(reply, 204)) {
      this.mismatch(`tag ${generated.index}: ${reply.status} ${reply.body.slice(0, 200)}`);
      return;
    }
    this.model.accepted(generated);
    this.acknowledge(generated.index);
  }

  private acknowledge(index: number): void {
    while (index >= this.acknowledged.length) {
      const grown = new Uint8Array(this.acknowledged.length * 2);
      grown.set(this.acknowledged);
      this.acknowledged = grown;
    }
    this.acknowledged[index] = 1;
    while (this.acknowledged[this.prefix + 1] === 1) this.prefix += 1;
  }

  private notePrefix(): void {
    const now = performance.now();
    const last = this.prefixHistory[this.prefixHistory.length - 1];
    if (last === undefined || now - last.atMs >= 100)
      this.prefixHistory.push({ atMs: now, prefix: this.prefix });
    while (
      this.prefixHistory.length > 2 &&
      now - this.prefixHistory[1]!.atMs >= this.options.aggregateVisibilityMs
    )
      this.prefixHistory.shift();
  }

  /** The newest tag acknowledged (with all before it) at least the visibility delay ago. */
  private visiblePrefix(): number {
    const first = this.prefixHistory[0];
    if (first === undefined || performance.now() - first.atMs < this.options.aggregateVisibilityMs) return -1;
    return first.prefix;
  }

  private async queryProfile(): Promise<void> {
    const known = this.prefix;
    if (known < 0) return;
    let candidate: GeneratedTag | undefined;
    for (let attempt = 0; attempt < 8 && candidate === undefined; attempt += 1) {
      const tag = this.generator.tag(Math.max(0, known - this.random.int(Math.min(known + 1, 20_000))));
      if (!this.inFlightByCookie.has(tag.cookie)) candidate = tag;
    }
    if (candidate === undefined) return;
    const toMs = this.generator.timeOf(known) + 1;
    const fromMs = Math.max(
      toMs - 1 - this.random.int(this.options.profileWindowMs),
      this.model.certainFrom(candidate.cookie, 8),
    );
    const limit = this.random.unit() < 0.5 ? undefined : 1 + this.random.int(this.options.profileTags);
    const name = cookieName(candidate.cookie);
    const expected = this.model.profile(candidate.cookie, name, { fromMs, toMs }, limit ?? 200);
    const range = `${formatProfileTime(fromMs)}_${formatProfileTime(toMs)}`;
    const path = `/user_profiles/${encodeURIComponent(name)}?time_range=${range}${limit === undefined ? '' : `&limit=${limit}`}`;
    await this.checkQuery(this.kinds.profiles, path, expected);
  }

  private async queryAggregates(): Promise<void> {
    const visible = this.visiblePrefix();
    if (visible < 0) return;
    const lastMinute = Math.floor((this.generator.timeOf(visible) + 1) / MINUTE_MS) * MINUTE_MS;
    // Buckets older than the retention behind the newest minute are gone, by design; a margin
    // covers tags accepted since `visible`, which move the API's newest minute on.
    const oldest = lastMinute - this.options.aggregateRetentionMs + 3 * MINUTE_MS;
    this.model.forgetBefore(oldest);
    const toMs = lastMinute - this.random.int(3) * MINUTE_MS;
    const fromMs = Math.max(oldest, toMs - (1 + this.random.int(10)) * MINUTE_MS);
    if (fromMs >= toMs) return;
    const sample = this.generator.tag(this.random.int(visible + 1));
    const action: Action = this.random.unit() < 0.5 ? 'VIEW' : 'BUY';
    const ids: { origin?: number; brand?: number; category?: number } = {};
    // Mostly values that occur (non-zero answers), sometimes one that never does.
    const value = (real: number, n: number) => (this.random.unit() < 0.9 ? real : n + this.random.int(n));
    if (this.random.unit() < 0.5) ids.origin = value(sample.origin, STREAM_SHAPE.origins);
    if (this.random.unit() < 0.5) ids.brand = value(sample.brand, STREAM_SHAPE.brands);
    if (this.random.unit() < 0.5) ids.category = value(sample.category, STREAM_SHAPE.categories);
    const aggregates = AGGREGATE_SETS[this.random.int(AGGREGATE_SETS.length)]!;
    await this.checkAggregates({ range: { fromMs, toMs }, action, filters: {}, aggregates }, ids);
  }

  private async checkAggregates(
    query: AggregatesQuery,
    ids: { origin?: number; brand?: number; category?: number },
  ): Promise<void> {
    const params = new URLSearchParams({
      time_range: `${formatBucket(query.range.fromMs)}_${formatBucket(query.range.toMs)}`,
      action: query.action,
    });
    // Query order on purpose differs from the columns' order: the API must reorder.
    if (ids.category !== undefined) params.append('category_id', categoryName(ids.category));
    if (ids.origin !== undefined) params.append('origin', originName(ids.origin));
    if (ids.brand !== undefined) params.append('brand_id', brandName(ids.brand));
    for (const aggregate of query.aggregates) params.append('aggregates', aggregate);
    const withFilters: AggregatesQuery = {
      ...query,
      filters: {
        ...(ids.origin !== undefined ? { origin: originName(ids.origin) } : {}),
        ...(ids.brand !== undefined ? { brand_id: brandName(ids.brand) } : {}),
        ...(ids.category !== undefined ? { category_id: categoryName(ids.category) } : {}),
      },
    };
    await this.checkQuery(
      this.kinds.aggregates,
      `/aggregates?${params}`,
      this.model.aggregates(withFilters, ids),
    );
  }

  private async checkQuery(kind: KindTally, path: string, expected: unknown): Promise<void> {
    kind.sent += 1;
    const reply = await this.http.post(path);
    if (!kind.record(reply, 200)) {
      this.mismatch(`${path}: ${reply.status} ${reply.body.slice(0, 200)}`);
      return;
    }
    if (isDeepStrictEqual(JSON.parse(reply.body), JSON.parse(JSON.stringify(expected)))) {
      kind.correct += 1;
    } else {
      kind.wrong += 1;
      this.mismatch(
        `${path}: got ${reply.body.slice(0, 300)} expected ${JSON.stringify(expected).slice(0, 300)}`,
      );
    }
  }

  /** Every minute of the run, both actions, no filters: the totals must match exactly. */
  private async checkEveryMinute(total: number): Promise<void> {
    const deadline = performance.now() + this.options.aggregateVisibilityMs;
    while (performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const end = this.generator.timeOf(total);
    const first = Math.max(
      Math.floor(STREAM_SHAPE.startMs / MINUTE_MS) * MINUTE_MS,
      Math.floor(end / MINUTE_MS) * MINUTE_MS - this.options.aggregateRetentionMs + 3 * MINUTE_MS,
    );
    for (let fromMs = first; fromMs < end; fromMs += 10 * MINUTE_MS) {
      const toMs = Math.min(fromMs + 10 * MINUTE_MS, Math.ceil(end / MINUTE_MS) * MINUTE_MS);
      for (const action of ['VIEW', 'BUY'] as const)
        await this.checkAggregates(
          { range: { fromMs, toMs }, action, filters: {}, aggregates: [...AGGREGATES] },
          {},
        );
    }
  }

  private mismatch(line: string): void {
    if (this.mismatches.length < 5) this.mismatches.push(line);
  }

  private progressLine(elapsedMs: number): string {
    const { tags, profiles, aggregates } = this.kinds;
    return (
      `${Math.round(elapsedMs / 1000)} s: tags ${tags.ok}/${tags.sent} (${tags.failed} dropped, ${tags.slow} slow), ` +
      `profiles ${profiles.correct} right ${profiles.wrong} wrong, aggregates ${aggregates.correct} right ${aggregates.wrong} wrong`
    );
  }
}
