import { HttpError } from '@clustache/service';

/**
 * Every failure the API answers with (see HttpError); the error handler turns it into the JSON
 * body. A Redis outage is the service layer's RedisUnavailableApiError (503 `REDIS_UNAVAILABLE`).
 */
export class ApiError extends HttpError {}

/** The client sent something we cannot accept (wrong type, missing field, bad id or pattern). */
export class BadRequestError extends ApiError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(400, code, message, options);
  }
}

/** The route exists but the thing it names does not. */
export class NotFoundError extends ApiError {
  constructor(code: string, message: string) {
    super(404, code, message);
  }
}

/** The write conflicts with what the source of record holds (e.g. creating an item that exists). */
export class ConflictError extends ApiError {
  constructor(code: string, message: string) {
    super(409, code, message);
  }
}

/** The path exists but not for this method; `allowed` goes out as the `Allow` header. */
export class MethodNotAllowedError extends ApiError {
  constructor(
    readonly allowed: readonly string[],
    method: string,
  ) {
    super(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed here; use ${allowed.join(', ')}`, {
      headers: { Allow: allowed.join(', ') },
    });
  }
}

/** The admin credentials are missing (401) or wrong (403). */
export class AuthError extends ApiError {
  constructor(status: 401 | 403, message: string) {
    super(status, status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN', message);
  }
}

/** The instance is shutting down or not connected yet; the load balancer should pick another. */
export class NotReadyError extends ApiError {
  constructor(code: 'NOT_READY' | 'SHUTTING_DOWN', message: string) {
    super(503, code, message);
  }
}
