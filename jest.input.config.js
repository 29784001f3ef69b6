/** npm run test:input: the hostile-input suite (every bad input to every form route). */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': '@swc/jest' },
  testMatch: ['<rootDir>/test/input/**/*.test.ts'],
  maxWorkers: 1,
  globalSetup: '<rootDir>/test/clamd/global-setup.js',
  globalTeardown: '<rootDir>/test/clamd/global-teardown.js',
  testTimeout: 600000,
};
