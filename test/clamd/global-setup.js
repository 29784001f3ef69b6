// Jest globalSetup for every suite: a real clamd for the upload tests (clamd.js). What it set up is kept on
// globalThis for global-teardown.js, which runs in the same process.
const { startClamd } = require('./clamd');

module.exports = async function globalSetup() {
  globalThis.__portalClamd = await startClamd();
};
