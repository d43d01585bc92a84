// The RTB API's contract (seed 004): what its three endpoints take and answer, checked and
// written the contract's way; an API serves it and maps ContractError to its 400 answer.
export {
  ACTIONS,
  DEVICES,
  parseUserTag,
  type AcceptedTag,
  type Action,
  type Device,
  type ProductInfo,
  type UserTag,
} from './user-tag';
export {
  formatBucket,
  formatProfileTime,
  MAX_AGGREGATE_RANGE_MS,
  MINUTE_MS,
  parseAggregateRange,
  parseProfileRange,
  type TimeRange,
} from './time-range';
export {
  aggregateColumns,
  AGGREGATES,
  FILTERS,
  parseAggregatesQuery,
  type Aggregate,
  type AggregatesQuery,
  type Filter,
  type QueryParams,
} from './aggregates-query';
export { ContractError, InvalidQueryError, InvalidTagError, InvalidTimeRangeError } from './errors';
