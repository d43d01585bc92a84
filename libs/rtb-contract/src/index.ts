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
  type Profile,
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
  type AggregatesAnswer,
  type AggregatesQuery,
  type Filter,
  type QueryParams,
} from './aggregates-query';
export { ContractError, InvalidQueryError, InvalidTagError, InvalidTimeRangeError } from './errors';

// The contract workload: a deterministic tag stream sent to a running API at the contract's
// rate and query mix, every answer checked against a reference model computed apart from Redis.
export { Workload, type WorkloadOptions, type WorkloadReport } from './workload/workload';
export type { KindReport } from './workload/kind-tally';
export { ReferenceModel } from './workload/reference-model';
export { STREAM_SHAPE, TagGenerator, type GeneratedTag } from './workload/tag-generator';
