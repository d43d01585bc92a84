import { HttpError } from '@clustache/service';

/**
 * Every failure the RTB API answers with (see HttpError), sent as `{"error": {"code", "message"}}`;
 * a Redis outage is the service layer's RedisUnavailableApiError (503 `REDIS_UNAVAILABLE`).
 */
export class RtbError extends HttpError {}

/** The request breaks the contract: a missing or mistyped field, a bad time range or filter. */
export class InvalidRequestError extends RtbError {
  constructor(code: string, message: string) {
    super(400, code, message);
  }
}
