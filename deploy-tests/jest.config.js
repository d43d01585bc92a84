const preset = require('../jest.preset.js');

/** Chart, image and VS Code task tests: real helm, real redis-server, no cluster. */
module.exports = {
  ...preset,
  displayName: 'deploy-tests',
  // This project sits one level below the root, not two like libs/* and apps/*.
  moduleNameMapper: { '^@clustache/([a-z-]+)$': '<rootDir>/../libs/$1/src/index.ts' },
  testTimeout: 180_000,
};
