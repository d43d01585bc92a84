import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '@clustache/cache';
import { ContractError } from '@clustache/rtb-contract';
import { clientErrorOf, type HttpError } from '@clustache/service';
import { InvalidRequestError, RtbError } from '../errors';

export const notFound: RequestHandler = (req) => {
  throw new RtbError(404, 'NOT_FOUND', `no route for ${req.method} ${req.path}`);
};

/**
 * The single place errors become responses, always `{"error": {"code", "message"}}`: client
 * mistakes keep their 4xx (a broken contract is 400 with the contract's code), Redis failures
 * are 503, anything else is a bug (500, logged).
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

function toRtbError(error: unknown): HttpError {
  if (error instanceof RtbError) return error;
  if (error instanceof ContractError) return new InvalidRequestError(error.code, error.message);
  return clientErrorOf(error) ?? new RtbError(500, 'INTERNAL', 'internal error');
}
