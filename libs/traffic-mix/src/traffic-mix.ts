/**
 * The one traffic mix of Clustache's two load generators: the k6 scripts (loadtest/, the
 * chart's load Job) and the platform's load (platform/src/load, `npm start`). Both draw each
 * request's kind through `pickRequestKind`, so the dashboards and alerts see the same traffic
 * whichever of the two drives them.
 *
 * k6 runs this file as it is: the scripts import it by its relative path (k6 resolves no
 * package names) and the chart mounts it where that path leads. So it imports nothing, neither
 * Node's modules nor k6's (its tsconfig.lib.json loads no Node types).
 */

/**
 * Share of each kind of request, out of 1, in the order `pickRequestKind` walks them. Mostly
 * reads of popular items and /data records, as the seeds' users make them: item reads first,
 * because they are what the writes and invalidations make stale on every replica.
 */
export const TRAFFIC_MIX = {
  /** GET /items/:id of an existing item: the cache-aside read (seed 003). */
  readItem: 0.5,
  /** GET /data/:id: the read-through loader of seed 001. */
  readData: 0.25,
  /** POST /items/batch of a few distinct items: the pipelined batch read. */
  batch: 0.05,
  /** PUT /items/:id with a new price: a write every replica must reflect. */
  writeItem: 0.1,
  /** POST /cache/invalidate of one item's key (admin token). */
  invalidateKey: 0.05,
  /** GET /items/:id of an item that does not exist: a 404, as real clients make. */
  readMissing: 0.04,
  /** POST /cache/invalidate of a /data key pattern (admin token); rare, as it drops many keys. */
  invalidatePattern: 0.01,
} as const;

export type RequestKind = keyof typeof TRAFFIC_MIX;

const KINDS = Object.keys(TRAFFIC_MIX) as RequestKind[];

/**
 * The kind of request that a uniform number in [0, 1) stands for: the kinds take consecutive
 * slices of [0, 1), each as wide as its share.
 */
export function pickRequestKind(roll: number): RequestKind {
  let rest = roll;
  for (const kind of KINDS) if ((rest -= TRAFFIC_MIX[kind]) < 0) return kind;
  return KINDS[KINDS.length - 1]!;
}
