import type { ErrorRequestHandler, RequestHandler } from 'express';
import { CacheClosedError, RedisUnavailableError, type Logger } from '@clustache/cache';
import {
  ApiError,
  MethodNotAllowedError,
  NotFoundError,
  NotReadyError,
  RedisUnavailableApiError,
} from '../errors';

/** body-parser's error types (its `type` field) and what we answer for each. */
const PARSER_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  'entity.parse.failed': {
    status: 400,
    code: 'INVALID_JSON',
    message: 'the body is not valid JSON (or not an object or array)',
  },
  'entity.too.large': {
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    message: 'the body is larger than the limit',
  },
  'encoding.unsupported': {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'unsupported Content-Encoding',
  },
  'charset.unsupported': {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'unsupported charset; send UTF-8',
  },
};

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

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof RedisUnavailableError)
    return new RedisUnavailableApiError(error.operation, { cause: error });
  if (error instanceof CacheClosedError)
    return new NotReadyError('SHUTTING_DOWN', 'this instance is shutting down; retry');
  const { status, type } = (error ?? {}) as { status?: unknown; type?: unknown };
  const parser = typeof type === 'string' ? PARSER_ERRORS[type] : undefined;
  if (parser) return new ApiError(parser.status, parser.code, parser.message);
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Other client errors raised by Express itself, e.g. a path with broken %-encoding.
    return new ApiError(status, 'BAD_REQUEST', 'the request is malformed');
  }
  return new ApiError(500, 'INTERNAL', 'internal error');
}
