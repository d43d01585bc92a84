import { isDeepStrictEqual } from 'node:util';
import express, { type ErrorRequestHandler, type IRouter, type Request } from 'express';
import { RedisUnavailableApiError, type Logger } from '@clustache/service';
import { parseAggregatesQuery, parseProfileRange, parseUserTag } from '@clustache/rtb-contract';
import { InvalidRequestError } from '../errors';
import type { BucketStore } from '../store/bucket-store';
import type { ProfileStore } from '../store/profile-store';
import type { TagMetrics } from './tag-metrics';

export interface ContractDeps {
  profiles: ProfileStore;
  buckets: BucketStore;
  metrics: TagMetrics;
  logger: Logger;
  /** Profile tags kept per action: the most a `limit` can return. */
  profileTags: number;
  debug: boolean;
}

const MAX_COOKIE = 256;

/**
 * The contract's three endpoints. Query endpoints accept and ignore a body (a debug-mode client
 * sends the answer it expects); with `debug` on, a differing answer is logged and counted.
 */
export function contractRoutes(router: IRouter, deps: ContractDeps): void {
  const { profiles, buckets, metrics } = deps;
  const expected = deps.debug ? [express.text({ type: () => true, limit: '5mb' })] : [];

  router.post('/user_tags', express.json({ limit: '16kb' }), async (req, res) => {
    const accepted = parseUserTag(req.body);
    try {
      await profiles.record(accepted);
    } catch (error) {
      metrics.dropped.inc();
      throw error;
    }
    metrics.accepted.inc();
    res.status(204).end();
  });
  // Counts every refused tag, including bodies the JSON parser already turned away.
  router.use('/user_tags', ((error, _req, _res, next) => {
    if (!(error instanceof RedisUnavailableApiError)) metrics.rejected.inc();
    next(error);
  }) as ErrorRequestHandler);

  router.post('/user_profiles/:cookie', ...expected, async (req, res) => {
    const cookie = req.params['cookie'] as string;
    if (cookie.length === 0 || cookie.length > MAX_COOKIE)
      throw new InvalidRequestError('INVALID_COOKIE', `the cookie must be 1 to ${MAX_COOKIE} characters`);
    const range = parseProfileRange(req.query['time_range']);
    const profile = await profiles.read(cookie, range, limitOf(req.query['limit'], deps.profileTags));
    compareWithExpected(deps, 'user_profiles', req, profile);
    res.json(profile);
  });

  router.post('/aggregates', ...expected, async (req, res) => {
    const answer = await buckets.read(parseAggregatesQuery(req.query));
    compareWithExpected(deps, 'aggregates', req, answer);
    res.json(answer);
  });
}

/** `limit`: a positive integer, 200 when absent; more than is kept returns what is kept. */
function limitOf(value: unknown, kept: number): number {
  if (value === undefined) return 200;
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value) || Number(value) === 0)
    throw new InvalidRequestError('INVALID_LIMIT', 'limit must be a positive integer');
  return Math.min(Number(value), kept);
}

function compareWithExpected(deps: ContractDeps, endpoint: string, req: Request, answer: unknown): void {
  if (!deps.debug || typeof req.body !== 'string' || req.body === '') return;
  let expectedAnswer: unknown;
  try {
    expectedAnswer = JSON.parse(req.body);
  } catch {
    return;
  }
  if (isDeepStrictEqual(JSON.parse(JSON.stringify(answer)), expectedAnswer)) return;
  deps.metrics.debugMismatches.inc({ endpoint });
  deps.logger.warn('answer differs from the expected one', {
    endpoint,
    url: req.originalUrl,
    expected: expectedAnswer,
    answer,
  });
}
