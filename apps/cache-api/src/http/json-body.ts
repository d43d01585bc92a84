import express, { type RequestHandler } from 'express';
import { ApiError } from '../errors';

/** Largest JSON body accepted; larger bodies get 413 `PAYLOAD_TOO_LARGE`. */
export const BODY_LIMIT_BYTES = 64 * 1024;

const parse = express.json({ limit: BODY_LIMIT_BYTES, strict: true });

/**
 * For routes that take a body: parses JSON up to 64 kB (parser failures become 400/413 in the
 * error handler) and answers 415 when the request is not `application/json` at all, so a client
 * that forgot the header learns why instead of getting "field is required".
 */
export const jsonBody: RequestHandler = (req, res, next) => {
  parse(req, res, (error?: unknown) => {
    if (error !== undefined) next(error);
    else if (req.body === undefined) {
      next(
        new ApiError(
          415,
          'UNSUPPORTED_MEDIA_TYPE',
          'send the body as JSON with "Content-Type: application/json"',
        ),
      );
    } else next();
  });
};
