import type { Action } from '@clustache/rtb-contract';

/**
 * Every Redis key the RTB workload uses, in one place, all under `rtb:` so it shares a Redis with
 * the cache API without touching its keys.
 */
export const RTB_KEYS = {
  /** Sorted set of one cookie's tags of one action, scored by tag time. */
  profile: (cookie: string, action: Action) => `rtb:profile:${action}:${cookie}`,
  /** The stream every accepted tag is appended to, consumed by the aggregators. */
  stream: 'rtb:tags',
  /** The aggregators' consumer group on the stream. */
  group: 'rtb-aggregators',
  /** Prefix of the per-minute bucket strings: `rtb:agg:<minute ms>:<V|B>`. */
  bucketPrefix: 'rtb:agg:',
  /** Sorted set of bucket keys scored by their minute, so trimming finds the old ones. */
  bucketIndex: 'rtb:agg:index',
  /** The newest minute any aggregated tag fell into: retention counts back from it. */
  watermark: 'rtb:agg:watermark',
  /** Hash from a filter value (origin, brand or category) to its small integer id. */
  dictionary: (filter: 'origin' | 'brand_id' | 'category_id') => `rtb:dict:${filter}`,
} as const;

/** The bucket key of one minute and action; the Lua apply script builds the same string. */
export function bucketKey(minuteMs: number, action: Action): string {
  return `${RTB_KEYS.bucketPrefix}${minuteMs}:${action === 'VIEW' ? 'V' : 'B'}`;
}
