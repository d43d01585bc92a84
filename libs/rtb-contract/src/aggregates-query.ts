import { InvalidQueryError } from './errors';
import { parseAggregateRange, type TimeRange } from './time-range';
import { ACTIONS, type Action } from './user-tag';

export const AGGREGATES = ['COUNT', 'SUM_PRICE'] as const;
export type Aggregate = (typeof AGGREGATES)[number];
/** The filters in the order the contract writes their columns, whatever order the query used. */
export const FILTERS = ['origin', 'brand_id', 'category_id'] as const;
export type Filter = (typeof FILTERS)[number];

/** A parsed `POST /aggregates` query. */
export interface AggregatesQuery {
  range: TimeRange;
  action: Action;
  filters: Partial<Record<Filter, string>>;
  aggregates: Aggregate[];
}

/** The `POST /aggregates` answer: `columns` (see aggregateColumns), then one row per minute bucket. */
export interface AggregatesAnswer {
  columns: string[];
  rows: string[][];
}

/** Express's parsed query string (`?a=1&a=2` arrives as an array). */
export type QueryParams = Record<string, unknown>;

export function parseAggregatesQuery(query: QueryParams): AggregatesQuery {
  const action = single(query, 'action');
  if (!ACTIONS.includes(action as Action))
    throw new InvalidQueryError(`action must be one of ${ACTIONS.join(', ')}`);
  const filters: Partial<Record<Filter, string>> = {};
  for (const filter of FILTERS) {
    if (query[filter] === undefined) continue;
    const value = single(query, filter);
    if (value.length === 0) throw new InvalidQueryError(`${filter} must not be empty`);
    filters[filter] = value;
  }
  const requested = query['aggregates'];
  const aggregates = (Array.isArray(requested) ? requested : [requested]).filter((a) => a !== undefined);
  if (aggregates.length === 0)
    throw new InvalidQueryError(`aggregates is required: ${AGGREGATES.join(' and/or ')}`);
  for (const aggregate of aggregates)
    if (!AGGREGATES.includes(aggregate as Aggregate))
      throw new InvalidQueryError(`aggregates must be ${AGGREGATES.join(' or ')}`);
  return {
    range: parseAggregateRange(single(query, 'time_range')),
    action: action as Action,
    filters,
    aggregates: aggregates as Aggregate[],
  };
}

/** The answer's `columns`: bucket, action, the filters given, then the aggregates in query order. */
export function aggregateColumns(query: AggregatesQuery): string[] {
  return [
    '1m_bucket',
    'action',
    ...FILTERS.filter((filter) => query.filters[filter] !== undefined),
    ...query.aggregates.map((aggregate) => aggregate.toLowerCase()),
  ];
}

function single(query: QueryParams, name: string): string {
  const value = query[name];
  if (value === undefined) throw new InvalidQueryError(`${name} is required`);
  if (typeof value !== 'string') throw new InvalidQueryError(`${name} must be given once`);
  return value;
}
