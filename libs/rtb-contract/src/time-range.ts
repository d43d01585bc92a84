import { InvalidTimeRangeError } from './errors';

/** A half-open range of tag time [fromMs, toMs), from the contract's `<from>_<to>` query value. */
export interface TimeRange {
  fromMs: number;
  toMs: number;
}

export const MINUTE_MS = 60_000;
/** The contract's upper bound on one aggregates query. */
export const MAX_AGGREGATE_RANGE_MS = 10 * MINUTE_MS;

const PROFILE_BOUND = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?$/;
const AGGREGATE_BOUND = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

/** Profiles: UTC without `Z`, millisecond precision (`2022-03-22T12:15:00.000`). */
export function parseProfileRange(value: unknown): TimeRange {
  return parseRange(value, PROFILE_BOUND, '2022-03-22T12:15:00.000_2022-03-22T12:30:00.000');
}

/** Aggregates: second precision on whole minutes, at most 10 minutes long. */
export function parseAggregateRange(value: unknown): TimeRange {
  const range = parseRange(value, AGGREGATE_BOUND, '2022-03-22T12:15:00_2022-03-22T12:25:00');
  if (range.fromMs % MINUTE_MS !== 0 || range.toMs % MINUTE_MS !== 0)
    throw new InvalidTimeRangeError('time_range must start and end on whole minutes');
  if (range.toMs - range.fromMs > MAX_AGGREGATE_RANGE_MS)
    throw new InvalidTimeRangeError('time_range may span at most 10 minutes');
  return range;
}

/** The contract's way of writing a minute bucket and an aggregates bound: `2022-03-01T00:05:00`. */
export function formatBucket(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/** The contract's way of writing a profile bound: `2022-03-22T12:15:00.000`. */
export function formatProfileTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 23);
}

function parseRange(value: unknown, bound: RegExp, example: string): TimeRange {
  if (typeof value !== 'string') throw new InvalidTimeRangeError(`time_range is required, e.g. ${example}`);
  const parts = value.split('_');
  const [from, to] = parts;
  if (parts.length !== 2 || !bound.test(from!) || !bound.test(to!))
    throw new InvalidTimeRangeError(`time_range must look like ${example}`);
  const fromMs = calendarTime(from!);
  const toMs = calendarTime(to!);
  if (fromMs === undefined || toMs === undefined)
    throw new InvalidTimeRangeError('time_range names a time that does not exist');
  if (toMs <= fromMs) throw new InvalidTimeRangeError('time_range must end after it starts');
  return { fromMs, toMs };
}

/**
 * A UTC time without zone (`2022-03-01T00:00:00.123`) in ms, or undefined when the date does not
 * exist: `Date.parse` quietly rolls 2022-02-30 over into March.
 */
export function calendarTime(utc: string): number | undefined {
  const ms = Date.parse(`${utc}Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 19) !== utc.slice(0, 19)) return undefined;
  return ms;
}
