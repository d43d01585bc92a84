import type { Action, UserTag } from '@clustache/rtb-contract';
import { MINUTE_MS } from '@clustache/rtb-contract';

/** What the aggregators need of a tag, as it travels on the `rtb:tags` stream. */
export interface StreamedTag {
  /** The stream entry id, which the aggregator acknowledges. */
  id: string;
  minuteMs: number;
  action: Action;
  origin: string;
  brand: string;
  category: string;
  price: number;
}

/** The XADD field/value list for one tag: the bucket's minute, not the full time, is all aggregates use. */
export function streamFields(tag: UserTag, timeMs: number): string[] {
  const p = tag.product_info;
  return [
    'm',
    String(Math.floor(timeMs / MINUTE_MS) * MINUTE_MS),
    'a',
    tag.action === 'VIEW' ? 'V' : 'B',
    'o',
    tag.origin,
    'b',
    p.brand_id,
    'c',
    p.category_id,
    'p',
    String(p.price),
  ];
}

/** Reads one entry back from XREADGROUP / XAUTOCLAIM output; undefined for an entry trimmed away. */
export function parseStreamEntry(id: string, fields: string[] | null): StreamedTag | undefined {
  if (fields === null) return undefined;
  const value: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) value[fields[i]!] = fields[i + 1]!;
  return {
    id,
    minuteMs: Number(value['m']),
    action: value['a'] === 'B' ? 'BUY' : 'VIEW',
    origin: value['o'] ?? '',
    brand: value['b'] ?? '',
    category: value['c'] ?? '',
    price: Number(value['p']),
  };
}
