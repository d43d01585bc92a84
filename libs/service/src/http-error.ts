/**
 * What a service answers a request with when it cannot do it: an HTTP status, a stable
 * machine-readable `code` and a message that says what to change. The error handler turns it
 * into `{"error": {"code", "message"}}` plus its `headers`, so clients branch on codes, never on
 * message text.
 */
export class HttpError extends Error {
  /** Response headers that belong to the answer, e.g. `Allow` on a 405. @default {} */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options?: { cause?: unknown; headers?: Record<string, string> },
  ) {
    super(message, options);
    this.name = new.target.name;
    this.headers = options?.headers ?? {};
  }
}
