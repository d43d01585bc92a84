import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '@clustache/cache';
import { RtbError } from '../errors';

/** body-parser's error types and what we answer for each. */
const PARSER_ERRORS: Record<string, RtbError> = {
  'entity.parse.failed': new RtbError(400, 'INVALID_JSON', 'the body is not valid JSON'),
  'entity.too.large': new RtbError(413, 'PAYLOAD_TOO_LARGE', 'the body is larger than the limit'),
  'encoding.unsupported': new RtbError(415, 'UNSUPPORTED_MEDIA_TYPE', 'unsupported Content-Encoding'),
  'charset.unsupported': new RtbError(415, 'UNSUPPORTED_MEDIA_TYPE', 'unsupported charset; send UTF-8'),
};

export const notFound: RequestHandler = (req) => {
  throw new RtbError(404, 'NOT_FOUND', `no route for ${req.method} ${req.path}`);
};

/**
 * The single place errors become responses, always `{"error": {"code", "message"}}`: client
 * mistakes keep their 4xx, Redis failures are 503, anything else is a bug (500, logged).
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const failure = toRtbError(error);
    if (failure.status === 500)
      logger.error('request failed', { method: req.method, path: req.path, err: error });
    res.status(failure.status).json({ error: { code: failure.code, message: failure.message } });
  };
}

function toRtbError(error: unknown): RtbError {
  if (error instanceof RtbError) return error;
  const { status, type } = (error ?? {}) as { status?: unknown; type?: unknown };
  const parser = typeof type === 'string' ? PARSER_ERRORS[type] : undefined;
  if (parser) return parser;
  if (typeof status === 'number' && status >= 400 && status < 500)
    return new RtbError(status, 'BAD_REQUEST', 'the request is malformed');
  return new RtbError(500, 'INTERNAL', 'internal error');
}
