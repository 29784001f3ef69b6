module.exports = async function globalTeardown() {
  await globalThis.__portalClamd?.stop();
};
