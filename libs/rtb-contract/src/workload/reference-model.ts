import { aggregateColumns, type AggregatesAnswer, type AggregatesQuery } from '../aggregates-query';
import { formatBucket, MINUTE_MS, type TimeRange } from '../time-range';
import type { Profile, UserTag } from '../user-tag';
import { brandName, categoryName, originName, type GeneratedTag, type TagGenerator } from './tag-generator';

/** Ints per tag in a model minute: action (0 VIEW, 1 BUY), origin, brand, category, price. */
const COLUMNS = 5;

/**
 * The right answers, computed apart from Redis: the workload tells the model about each tag the
 * API accepted, and the model answers queries the way the contract defines them. Profiles keep
 * tag numbers (tags are rebuilt from the generator), capped like the API's; aggregates keep
 * each minute's tags as packed columns and sum them per query.
 */
export class ReferenceModel {
  private readonly profiles = new Map<string, number[]>();
  private readonly minutes = new Map<number, { data: Int32Array; length: number }>();

  constructor(
    private readonly generator: TagGenerator,
    private readonly profileTags: number,
  ) {}

  accepted(tag: GeneratedTag): void {
    const key = `${tag.cookie}:${tag.action}`;
    let kept = this.profiles.get(key);
    if (kept === undefined) this.profiles.set(key, (kept = []));
    // Ascending tag number = ascending time; tags are accepted nearly in order.
    let at = kept.length;
    while (at > 0 && kept[at - 1]! > tag.index) at -= 1;
    kept.splice(at, 0, tag.index);
    if (kept.length > this.profileTags) kept.shift();

    const minute = Math.floor(tag.timeMs / MINUTE_MS) * MINUTE_MS;
    let bucket = this.minutes.get(minute);
    if (bucket === undefined)
      this.minutes.set(minute, (bucket = { data: new Int32Array(4096 * COLUMNS), length: 0 }));
    if ((bucket.length + 1) * COLUMNS > bucket.data.length) {
      const grown = new Int32Array(bucket.data.length * 2);
      grown.set(bucket.data);
      bucket.data = grown;
    }
    bucket.data.set(
      [tag.action === 'BUY' ? 1 : 0, tag.origin, tag.brand, tag.category, tag.price],
      bucket.length * COLUMNS,
    );
    bucket.length += 1;
  }

  profile(cookie: GeneratedTag['cookie'], cookieName: string, range: TimeRange, limit: number): Profile {
    const list = (action: 'VIEW' | 'BUY'): UserTag[] => {
      const kept = this.profiles.get(`${cookie}:${action}`) ?? [];
      const answer: UserTag[] = [];
      for (let i = kept.length - 1; i >= 0 && answer.length < limit; i -= 1) {
        const time = this.generator.timeOf(kept[i]!);
        if (time >= range.fromMs && time < range.toMs) answer.push(this.generator.tag(kept[i]!).tag);
      }
      return answer;
    };
    return { cookie: cookieName, views: list('VIEW'), buys: list('BUY') };
  }

  /**
   * The time from which a cookie's profile answer is certain: a tag sent while a query runs can
   * push the oldest kept tags out of a full profile, so only the newest `cap - margin` of each
   * list are sure to be there when the API reads them.
   */
  certainFrom(cookie: GeneratedTag['cookie'], margin: number): number {
    let from = Number.NEGATIVE_INFINITY;
    for (const action of ['VIEW', 'BUY']) {
      const kept = this.profiles.get(`${cookie}:${action}`) ?? [];
      const certain = this.profileTags - margin;
      if (kept.length > certain) from = Math.max(from, this.generator.timeOf(kept[kept.length - certain]!));
    }
    return from;
  }

  aggregates(
    query: AggregatesQuery,
    ids: { origin?: number; brand?: number; category?: number },
  ): AggregatesAnswer {
    const action = query.action === 'BUY' ? 1 : 0;
    const rows: string[][] = [];
    for (let minute = query.range.fromMs; minute < query.range.toMs; minute += MINUTE_MS) {
      const bucket = this.minutes.get(minute);
      let count = 0;
      let sum = 0;
      for (let i = 0; bucket !== undefined && i < bucket.length; i += 1) {
        const at = i * COLUMNS;
        const d = bucket.data;
        if (d[at] !== action) continue;
        if (ids.origin !== undefined && d[at + 1] !== ids.origin) continue;
        if (ids.brand !== undefined && d[at + 2] !== ids.brand) continue;
        if (ids.category !== undefined && d[at + 3] !== ids.category) continue;
        count += 1;
        sum += d[at + 4]!;
      }
      rows.push([
        formatBucket(minute),
        query.action,
        ...(ids.origin !== undefined ? [originName(ids.origin)] : []),
        ...(ids.brand !== undefined ? [brandName(ids.brand)] : []),
        ...(ids.category !== undefined ? [categoryName(ids.category)] : []),
        ...query.aggregates.map((aggregate) => String(aggregate === 'COUNT' ? count : sum)),
      ]);
    }
    return { columns: aggregateColumns(query), rows };
  }

  /** Forgets minutes before `minuteMs`, so a long run's model stays bounded like the store. */
  forgetBefore(minuteMs: number): void {
    for (const minute of this.minutes.keys()) if (minute < minuteMs) this.minutes.delete(minute);
  }
}
