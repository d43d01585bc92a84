import { CacheClosedError, RedisUnavailableError } from '@clustache/cache';
import { RedisUnavailableApiError, type HttpError } from '@clustache/service';
import { NotReadyError } from '../errors';

/**
 * The engine's errors as the API answers them (the error handler's translator): its Redis
 * failures are 503 `REDIS_UNAVAILABLE` like the source's, a closed cache is 503 `SHUTTING_DOWN`.
 */
export function engineErrorOf(error: unknown): HttpError | undefined {
  if (error instanceof RedisUnavailableError)
    return new RedisUnavailableApiError(error.operation, { cause: error });
  if (error instanceof CacheClosedError)
    return new NotReadyError('SHUTTING_DOWN', 'this instance is shutting down; retry');
  return undefined;
}
