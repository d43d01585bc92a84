/**
 * What a service answers a request with when it cannot do it: an HTTP status, a stable
 * machine-readable `code` and a message that says what to change. Error handlers turn it into
 * `{"error": {"code", "message"}}`, so clients branch on codes, never on message text.
 */
export class HttpError extends Error {
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
