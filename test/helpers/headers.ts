// The security headers every response carries (docs/security.md#h1 to #h3), for tests that check them across routes.

/** A Content-Security-Policy header as { directive: [values] }. */
export const directives = (header: string | undefined): Record<string, string[]> =>
  Object.fromEntries(
    (header ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!, values]),
  );

/** docs/security.md#h1, as sent outside production (production adds upgrade-insecure-requests). */
export const expectedCsp = (nonce = '') => ({
  'default-src': ["'self'"],
  'script-src': ["'self'", /^'nonce-[A-Za-z0-9+/]{22}=='$/.test(nonce) ? nonce : "'nonce-?'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
});

/**
 * What is wrong with a response's security headers: the full CSP with a well-formed nonce, the expected
 * Cache-Control (`no-store` unless said otherwise), nosniff, no framing, and no HSTS outside production.
 */
export function headerProblems(
  headers: Record<string, string | string[] | undefined>,
  cacheControl = 'no-store',
): string[] {
  const problems: string[] = [];
  const csp = directives(headers['content-security-policy'] as string | undefined);
  if (JSON.stringify(csp) !== JSON.stringify(expectedCsp(csp['script-src']?.[1])))
    problems.push(`CSP ${String(headers['content-security-policy'])}`);
  if (headers['cache-control'] !== cacheControl)
    problems.push(`Cache-Control ${String(headers['cache-control'])}`);
  if (headers['x-content-type-options'] !== 'nosniff') problems.push('no nosniff');
  if (headers['x-frame-options'] !== 'DENY') problems.push('framing not denied');
  if (headers['strict-transport-security'] !== undefined) problems.push('HSTS outside production');
  return problems;
}
