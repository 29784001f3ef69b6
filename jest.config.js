/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': '@swc/jest' },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: [
    '/node_modules/',
    '<rootDir>/test/browser/',
    '<rootDir>/test/faults/',
    '<rootDir>/test/input/',
  ],
  // PGlite boots a whole Postgres per test file; two workers match the machine's two cores.
  maxWorkers: 2,
  globalSetup: '<rootDir>/test/clamd/global-setup.js',
  globalTeardown: '<rootDir>/test/clamd/global-teardown.js',
  testTimeout: 30000,
};
