const preset = require('../jest.preset.js');

/**
 * The load scripts run under Node with stand-ins for k6's modules (test/k6-standin), which
 * record each request, check and metric sample instead of sending them.
 */
module.exports = {
  ...preset,
  displayName: 'loadtest',
  moduleNameMapper: {
    '^@clustache/([a-z-]+)$': '<rootDir>/../libs/$1/src/index.ts',
    '^k6$': '<rootDir>/test/k6-standin/k6.ts',
    '^k6/(http|execution|metrics|options)$': '<rootDir>/test/k6-standin/$1.ts',
  },
  setupFiles: ['<rootDir>/test/k6-standin/globals.ts'],
};
