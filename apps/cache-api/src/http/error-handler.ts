import type { ErrorRequestHandler, RequestHandler } from 'express';
import { CacheClosedError, RedisUnavailableError, type Logger } from '@clustache/cache';
import { clientErrorOf, type HttpError } from '@clustache/service';
import {
  ApiError,
  MethodNotAllowedError,
  NotFoundError,
  NotReadyError,
  RedisUnavailableApiError,
} from '../errors';

/** For paths no route matched. */
export const notFound: RequestHandler = (req) => {
  throw new NotFoundError('NOT_FOUND', `no route for ${req.method} ${req.path}`);
};

/**
 * The single place errors become responses, always `{"error": {"code", "message"}}`. Client
 * mistakes keep their 4xx; the engine's and the source's Redis failures become 503
 * `REDIS_UNAVAILABLE`; anything else is a bug: 500, logged with its stack, message withheld.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const failure = toApiError(error);
    if (
      failure.status >= 500 &&
      !(failure instanceof RedisUnavailableApiError || failure instanceof NotReadyError)
    ) {
      logger.error('request failed', {
        method: req.method,
        path: req.path,
        err: error,
        stack: (error as Error)?.stack,
      });
    }
    if (failure instanceof MethodNotAllowedError) res.setHeader('Allow', failure.allowed.join(', '));
    res.status(failure.status).json({ error: { code: failure.code, message: failure.message } });
  };
}

export function toApiError(error: unknown): HttpError {
  if (error instanceof ApiError) return error;
  if (error instanceof RedisUnavailableError)
    return new RedisUnavailableApiError(error.operation, { cause: error });
  if (error instanceof CacheClosedError)
    return new NotReadyError('SHUTTING_DOWN', 'this instance is shutting down; retry');
  return clientErrorOf(error) ?? new ApiError(500, 'INTERNAL', 'internal error');
}
