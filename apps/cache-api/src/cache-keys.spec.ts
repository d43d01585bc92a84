import { compileGlob } from '@clustache/cache';
import { parseCacheKey, parseCachePattern } from './cache-keys';
import { ApiError } from './errors';

const refusal = (parse: () => unknown) => {
  try {
    parse();
  } catch (error) {
    return error instanceof ApiError ? `${error.status} ${error.code}` : String(error);
  }
  return 'accepted';
};

describe('invalidation scoping', () => {
  it.each(['item:*', 'item:1*', 'item:[12]', 'data:abc?', 'session:*', 'item:a\\*b*'])(
    'accepts the scoped pattern %j',
    (pattern) => {
      expect(parseCachePattern(pattern)).toBe(pattern);
    },
  );

  it.each([
    '*',
    '**',
    '?*',
    '[a-z]*',
    '*:*',
    '*:1',
    'item*',
    'ite?:*',
    '\\item:*',
    'item:',
    'user:*',
    'item:1',
    '',
    7,
    null,
  ])('refuses the pattern %j', (pattern) => {
    expect(refusal(() => parseCachePattern(pattern))).toBe('400 INVALID_PATTERN');
  });

  it('never lets an accepted pattern reach outside its namespace', () => {
    const keys = ['item:1', 'data:1', 'session:abc', 'item', 'items:1', 'xitem:1'];
    for (const pattern of ['item:*', 'data:*', 'session:*', 'item:[^x]*']) {
      const namespace = pattern.slice(0, pattern.indexOf(':') + 1);
      const matches = compileGlob(parseCachePattern(pattern));
      expect(keys.filter(matches).every((key) => key.startsWith(namespace))).toBe(true);
    }
  });

  it.each(['item:1', 'data:some-id', 'session:tok.en', 'item:*literal*'])('accepts the key %j', (key) => {
    expect(parseCacheKey(key)).toBe(key);
  });

  it.each(['1', 'item:', 'item', '*', `item:${'x'.repeat(200)}`, 'item:a\u0000', 42])(
    'refuses the key %j',
    (key) => {
      expect(refusal(() => parseCacheKey(key))).toBe('400 INVALID_KEY');
    },
  );
});
