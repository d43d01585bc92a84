import type { RedisConnection } from '@clustache/service';
import {
  aggregateColumns,
  FILTERS,
  formatBucket,
  MINUTE_MS,
  type AggregatesAnswer,
  type AggregatesQuery,
  type Filter,
} from '@clustache/rtb-contract';
import { APPLY_SCRIPT, RECORD_BYTES, TRIM_SCRIPT } from './bucket-scripts';
import { bucketKey, RTB_KEYS } from './keys';
import type { StreamedTag } from './tag-stream';

/** What one apply did: tags stored, tags another aggregator had already applied, tags too old to keep. */
export interface ApplyOutcome {
  applied: number;
  duplicates: number;
  expired: number;
}

/** Filter values mapped to dictionary ids; `undefined` for a value no tag ever had. */
type FilterIds = Partial<Record<Filter, number | undefined>>;

/**
 * The 1-minute buckets. Aggregators append each tag as a 16-byte record to its minute's bucket
 * (exactly once, see APPLY_SCRIPT); a query reads at most ten buckets and sums the records that
 * match its filters. Keeping records rather than pre-summed counters per filter combination
 * costs 16 bytes a tag whatever the mix of origins, brands and categories (8 combinations of up
 * to 1000 × 250 × 67 values would cost far more), and a ten-minute query at 1000 tags/s scans
 * about 10 MB, a few milliseconds.
 */
export class BucketStore {
  /** Dictionary ids never change once given, so known ones are remembered (bounded). */
  private readonly knownIds = new Map<string, number>();

  constructor(
    private readonly redis: RedisConnection,
    private readonly retentionMs: number,
  ) {}

  async apply(tags: StreamedTag[]): Promise<ApplyOutcome> {
    if (tags.length === 0) return { applied: 0, duplicates: 0, expired: 0 };
    const args: (string | number)[] = [RTB_KEYS.group, RTB_KEYS.bucketPrefix, this.retentionMs];
    for (const tag of tags)
      args.push(
        tag.id,
        tag.minuteMs,
        tag.action === 'VIEW' ? 'V' : 'B',
        tag.origin,
        tag.brand,
        tag.category,
        tag.price,
      );
    const [applied, duplicates, expired] = (await this.redis.run('apply tags', (redis) =>
      APPLY_SCRIPT.run(redis, applyKeys(), args),
    )) as [number, number, number];
    return { applied, duplicates, expired };
  }

  /** Deletes buckets that fell out of the retention window; returns how many. */
  async trim(): Promise<number> {
    let removed = 0;
    for (;;) {
      const batch = (await this.redis.run('trim buckets', (redis) =>
        TRIM_SCRIPT.run(redis, [RTB_KEYS.bucketIndex, RTB_KEYS.watermark], [this.retentionMs]),
      )) as number;
      removed += batch;
      if (batch < 1000) return removed;
    }
  }

  async read(query: AggregatesQuery): Promise<AggregatesAnswer> {
    const minutes: number[] = [];
    for (let minute = query.range.fromMs; minute < query.range.toMs; minute += MINUTE_MS)
      minutes.push(minute);
    const [ids, buckets] = await Promise.all([
      this.filterIds(query),
      this.redis.run('read buckets', (redis) =>
        Promise.all(minutes.map((minute) => redis.getBuffer(bucketKey(minute, query.action)))),
      ),
    ]);
    const given = FILTERS.filter((filter) => query.filters[filter] !== undefined);
    const unknownFilter = given.some((filter) => ids[filter] === undefined);
    const rows = minutes.map((minute, i) => {
      const { count, sum } = unknownFilter ? { count: 0, sum: 0 } : summarise(buckets[i] ?? null, ids);
      return [
        formatBucket(minute),
        query.action,
        ...given.map((filter) => query.filters[filter]!),
        ...query.aggregates.map((aggregate) => String(aggregate === 'COUNT' ? count : sum)),
      ];
    });
    return { columns: aggregateColumns(query), rows };
  }

  private async filterIds(query: AggregatesQuery): Promise<FilterIds> {
    const ids: FilterIds = {};
    const unknown: Filter[] = [];
    for (const filter of FILTERS) {
      const value = query.filters[filter];
      if (value === undefined) continue;
      const known = this.knownIds.get(`${filter}\0${value}`);
      if (known === undefined) unknown.push(filter);
      else ids[filter] = known;
    }
    if (unknown.length === 0) return ids;
    const found = await this.redis.run('read dictionaries', (redis) =>
      Promise.all(unknown.map((filter) => redis.hget(RTB_KEYS.dictionary(filter), query.filters[filter]!))),
    );
    if (this.knownIds.size > 100_000) this.knownIds.clear();
    unknown.forEach((filter, i) => {
      const id = found[i] === null || found[i] === undefined ? undefined : Number(found[i]);
      ids[filter] = id;
      if (id !== undefined) this.knownIds.set(`${filter}\0${query.filters[filter]!}`, id);
    });
    return ids;
  }
}

function applyKeys(): string[] {
  return [
    RTB_KEYS.stream,
    RTB_KEYS.bucketIndex,
    RTB_KEYS.watermark,
    RTB_KEYS.dictionary('origin'),
    RTB_KEYS.dictionary('brand_id'),
    RTB_KEYS.dictionary('category_id'),
  ];
}

/** Counts and sums the records of one bucket that match every given filter id. */
function summarise(bucket: Buffer | null, ids: FilterIds): { count: number; sum: number } {
  if (bucket === null) return { count: 0, sum: 0 };
  const origin = ids.origin ?? 0;
  const brand = ids.brand_id ?? 0;
  const category = ids.category_id ?? 0;
  let count = 0;
  let sum = 0;
  for (let at = 0; at + RECORD_BYTES <= bucket.length; at += RECORD_BYTES) {
    if (origin !== 0 && bucket.readUInt32LE(at) !== origin) continue;
    if (brand !== 0 && bucket.readUInt32LE(at + 4) !== brand) continue;
    if (category !== 0 && bucket.readUInt32LE(at + 8) !== category) continue;
    count += 1;
    sum += bucket.readInt32LE(at + 12);
  }
  return { count, sum };
}
