import { HttpError } from '../http-error';

/**
 * What a request needed Redis for could not be done: Redis is down, disconnected or too slow.
 * Answered as 503 `REDIS_UNAVAILABLE`; nothing was half-written, since each write is one
 * command, script or MULTI. `RedisConnection.run` raises it; the cache API also raises it for
 * the engine's own Redis failures.
 */
export class RedisUnavailableApiError extends HttpError {
  static readonly code = 'REDIS_UNAVAILABLE';

  /** @param operation what was being done, e.g. `items.get`; it ends up in the message. */
  constructor(
    readonly operation: string,
    options?: { cause?: unknown },
  ) {
    super(503, RedisUnavailableApiError.code, `Redis is unavailable (${operation}); retry later`, options);
  }
}
