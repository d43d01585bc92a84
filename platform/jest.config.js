/**
 * Every platform test: component tests (test/) and the end-to-end run of the whole platform
 * (e2e/, about a minute), so `npm test` covers both; `npx nx run platform:e2e` runs only the latter.
 */
const preset = require('../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'platform',
  moduleNameMapper: { '^@clustache/([a-z-]+)$': '<rootDir>/../libs/$1/src/index.ts' },
  testMatch: [...preset.testMatch, '<rootDir>/e2e/**/*.e2e.ts'],
};
