/** The shared preset, with workspace libraries mapped from this project's depth (one folder below the root). */
const preset = require('../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'alerting',
  moduleNameMapper: { '^@clustache/([a-z-]+)$': '<rootDir>/../libs/$1/src/index.ts' },
};
