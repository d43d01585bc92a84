import { HttpError } from '@clustache/service';

/** Every failure the RTB API answers with (see HttpError), sent as `{"error": {"code", "message"}}`. */
export class RtbError extends HttpError {}

/** The request breaks the contract: a missing or mistyped field, a bad time range or filter. */
export class InvalidRequestError extends RtbError {
  constructor(code: string, message: string) {
    super(400, code, message);
  }
}

/** Redis could not take or answer the request; nothing was half-written (each write is one MULTI). */
export class StoreUnavailableError extends RtbError {
  constructor(operation: string, options?: { cause?: unknown }) {
    super(503, 'REDIS_UNAVAILABLE', `Redis is unavailable (${operation}); retry later`, options);
  }
}
