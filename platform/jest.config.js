/** Unit and component tests (fast); the end-to-end run is jest.e2e.config.js (`npx nx run platform:e2e`). */
const preset = require('../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'platform',
  moduleNameMapper: { '^@clustache/([a-z-]+)$': '<rootDir>/../libs/$1/src/index.ts' },
};
