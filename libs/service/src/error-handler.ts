import type { ErrorRequestHandler, RequestHandler } from 'express';
import { clientErrorOf } from './client-error';
import { HttpError } from './http-error';
import type { Logger } from './logger';

/**
 * Turns errors the service layer cannot know (the engine's, for the cache API) into the
 * HttpError to answer with; undefined for the rest.
 */
export type ErrorTranslator = (error: unknown) => HttpError | undefined;

/** For paths no route matched: 404 `NOT_FOUND`. */
export const notFound: RequestHandler = (req) => {
  throw new HttpError(404, 'NOT_FOUND', `no route for ${req.method} ${req.path}`);
};

/**
 * The single place errors become responses, always `{"error": {"code", "message"}}` with the
 * error's headers: HttpErrors as they are, then what `translate` knows, then client mistakes
 * Express raised (see clientErrorOf) with their 4xx. Anything else is a bug: 500 `INTERNAL`,
 * logged with its stack, its message withheld from the client.
 */
export function errorHandler(
  logger: Logger,
  translate: ErrorTranslator = () => undefined,
): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const failure = httpErrorOf(error, translate);
    if (failure.status === 500)
      logger.error('request failed', {
        method: req.method,
        path: req.path,
        err: error,
        stack: (error as Error | undefined)?.stack,
      });
    for (const [name, value] of Object.entries(failure.headers)) res.setHeader(name, value);
    res.status(failure.status).json({ error: { code: failure.code, message: failure.message } });
  };
}

/** The HttpError `error` is answered with (see errorHandler). */
export function httpErrorOf(error: unknown, translate: ErrorTranslator = () => undefined): HttpError {
  if (error instanceof HttpError) return error;
  return translate(error) ?? clientErrorOf(error) ?? new HttpError(500, 'INTERNAL', 'internal error');
}
