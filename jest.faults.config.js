/**
 * The fault-injection suite (npm run test:faults, docs/security.md#fault-scenarios): the production build as a child process on a
 * private PostgreSQL cluster, under load, while each scenario breaks the database or stops the process.
 * One worker: the scenarios share one cluster and the machine has two cores. Each scenario is bounded to a minute.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': '@swc/jest' },
  testMatch: ['<rootDir>/test/faults/**/*.test.ts'],
  maxWorkers: 1,
  globalSetup: '<rootDir>/test/clamd/global-setup.js',
  globalTeardown: '<rootDir>/test/clamd/global-teardown.js',
  testTimeout: 60000,
};
