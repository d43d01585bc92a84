import { compileGlob, isGlob } from './glob';

describe('compileGlob', () => {
  const cases: [pattern: string, key: string, matches: boolean][] = [
    ['item:*', 'item:1', true],
    ['item:*', 'item:', true],
    ['item:*', 'items:1', false],
    ['item:?', 'item:12', false],
    ['item:?', 'item:1', true],
    ['item:[12]', 'item:2', true],
    ['item:[12]', 'item:3', false],
    ['item:[^12]', 'item:3', true],
    ['item:[a-c]x', 'item:bx', true],
    ['item:[a-c]x', 'item:dx', false],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['a.b', 'axb', false],
    ['user:(1)', 'user:(1)', true],
    ['[unclosed', '[unclosed', true],
    ['*', 'anything\nat all', true],
  ];
  it.each(cases)('%s against %s gives %s', (pattern, key, matches) => {
    expect(compileGlob(pattern)(key)).toBe(matches);
  });

  it('tells globs from plain keys', () => {
    expect(isGlob('item:1')).toBe(false);
    expect(isGlob('item:*')).toBe(true);
  });
});
