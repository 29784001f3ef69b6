// Creates the folder where each browser suite leaves the routes and page states it covered, for
// route-coverage.test.ts (which sequencer.js runs last). Environment variables set here reach the tests.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startClamd } = require('../clamd/clamd');

module.exports = async function globalSetup() {
  process.env.A11Y_RUN_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'a11y-run-'));
  // A real virus scanner for the upload pages (test/clamd/clamd.js).
  globalThis.__portalClamd = await startClamd();
};
