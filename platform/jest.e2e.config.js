/** The end-to-end test: the whole platform started as `npm start` would, driven from outside. */
const preset = require('../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'platform-e2e',
  rootDir: __dirname,
  moduleNameMapper: { '^@clustache/([a-z-]+)$': '<rootDir>/../libs/$1/src/index.ts' },
  testMatch: ['<rootDir>/e2e/**/*.e2e.ts'],
  testTimeout: 240_000,
};
