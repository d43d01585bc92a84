import { BadRequestError } from './errors';
import { hasControlCharacters, MAX_ID_LENGTH } from './validation';

/**
 * The cache's key space: one namespace per use case, `<namespace>:<id>`. Items use `item:<id>`
 * as in seed 003. Source-of-record keys live apart under `source:` (see `SourceOfRecord`), so an
 * invalidation can never touch them.
 */
export const NAMESPACES = ['data', 'item', 'session'] as const;
export type Namespace = (typeof NAMESPACES)[number];

export const dataKey = (id: string): string => `data:${id}`;
export const itemKey = (id: string): string => `item:${id}`;
export const sessionKey = (token: string): string => `session:${token}`;

const MAX_KEY_LENGTH = 'session:'.length + MAX_ID_LENGTH;
const GLOB_SYNTAX = /[*?[\]\\]/;

/** A key for `/cache/invalidate`: a known namespace, a colon and an id, deleted exactly (never matched as a glob). */
export function parseCacheKey(value: unknown): string {
  return checkScoped(value, 'key');
}

/**
 * A pattern for `/cache/invalidate`. It must start with a literal namespace prefix such as
 * `item:`, so `*`, `**`, `?*`, `[a-z]*` or `*:1` (which would reach every namespace, or every
 * key) are refused: invalidating everything is a decision, not a typo. `item:*` is allowed and
 * means "every item".
 */
export function parseCachePattern(value: unknown): string {
  const pattern = checkScoped(value, 'pattern');
  if (!GLOB_SYNTAX.test(pattern)) {
    throw new BadRequestError('INVALID_PATTERN', 'pattern has no glob characters; send it as "key" instead');
  }
  return pattern;
}

function checkScoped(value: unknown, what: 'key' | 'pattern'): string {
  const code = what === 'key' ? 'INVALID_KEY' : 'INVALID_PATTERN';
  if (typeof value !== 'string') throw new BadRequestError(code, `${what} must be a string`);
  if (value.length > MAX_KEY_LENGTH)
    throw new BadRequestError(code, `${what} must be at most ${MAX_KEY_LENGTH} characters`);
  if (hasControlCharacters(value))
    throw new BadRequestError(code, `${what} must not contain control characters`);
  const namespace = NAMESPACES.find((name) => value.startsWith(`${name}:`));
  if (namespace === undefined) {
    const prefixes = NAMESPACES.map((name) => `"${name}:"`).join(', ');
    throw new BadRequestError(
      code,
      `${what} must start with a literal namespace prefix (${prefixes}); got ${JSON.stringify(value)}`,
    );
  }
  if (value.length === namespace.length + 1)
    throw new BadRequestError(code, `${what} must name something after "${namespace}:"`);
  return value;
}
