/**
 * Every failure the RTB API answers with: an HTTP status, a stable `code` and a message saying
 * what to change, sent as `{"error": {"code", "message"}}` so clients branch on codes.
 */
export class RtbError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

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
