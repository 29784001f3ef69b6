/**
 * The accessibility suite (npm run test:a11y): the real app, driven in Debian's Chromium by playwright-core.
 * One worker: each file starts the app and one browser, and the machine has two cores.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': '@swc/jest' },
  testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
  maxWorkers: 1,
  // Tests marked concurrent (one per service in services.test.ts) run two at a time in that one worker.
  maxConcurrency: 2,
  testTimeout: 180000,
  globalSetup: '<rootDir>/test/browser/global-setup.js',
  globalTeardown: '<rootDir>/test/browser/global-teardown.js',
  testSequencer: '<rootDir>/test/browser/sequencer.js',
};
