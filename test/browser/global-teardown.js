const fs = require('node:fs');

module.exports = async function globalTeardown() {
  await globalThis.__portalClamd?.stop();
  const dir = process.env.A11Y_RUN_DIR;
  if (dir && dir.includes('a11y-run-')) fs.rmSync(dir, { recursive: true, force: true });
};
