import { HttpError } from './http-error';

/** body-parser's error types (its `type` field) and what we answer for each. */
const PARSER_ERRORS: Record<string, [status: number, code: string, message: string]> = {
  'entity.parse.failed': [400, 'INVALID_JSON', 'the body is not valid JSON (or not an object or array)'],
  'entity.too.large': [413, 'PAYLOAD_TOO_LARGE', 'the body is larger than the limit'],
  'encoding.unsupported': [415, 'UNSUPPORTED_MEDIA_TYPE', 'unsupported Content-Encoding'],
  'charset.unsupported': [415, 'UNSUPPORTED_MEDIA_TYPE', 'unsupported charset; send UTF-8'],
};

/**
 * The client mistakes Express and its body parsers raise themselves (malformed or oversized
 * bodies, a path with broken %-encoding), as the HttpError to answer with; undefined for any
 * other error. Both services' error handlers start from it, so the same mistake gets the same code.
 */
export function clientErrorOf(error: unknown): HttpError | undefined {
  const { status, type } = (error ?? {}) as { status?: unknown; type?: unknown };
  const parser = typeof type === 'string' ? PARSER_ERRORS[type] : undefined;
  if (parser) return new HttpError(...parser);
  if (typeof status === 'number' && status >= 400 && status < 500)
    return new HttpError(status, 'BAD_REQUEST', 'the request is malformed');
  return undefined;
}
