import type { ServerResponse } from 'node:http';
import type { FilledFrom } from '@clustache/cache';

/**
 * The cache headers every cached read answers with:
 * - `X-Cache-Status: HIT` when this replica's memory (L1) answered, `MISS` otherwise;
 * - `X-Cache-Source`: on a hit, who filled the entry (`own`: this replica loaded or wrote it;
 *   `subscription`: a peer loaded it and published it); on a miss, where the value came from
 *   (`source`: the source of record; `l2`: the shared Redis tier; `stale`: the engine's fail-safe
 *   copy, served because a load failed, when fail-safe is on). Absent when nothing was found.
 */
export function setCacheHeaders(res: ServerResponse, from: FilledFrom | undefined): void {
  res.setHeader('X-Cache-Status', from === 'own' || from === 'subscription' ? 'HIT' : 'MISS');
  if (from !== undefined) res.setHeader('X-Cache-Source', from);
}
