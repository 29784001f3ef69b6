/**
 * A `returnTo` value is only ever followed when it is a path on this site: it starts with one `/`, is not
 * protocol-relative (`//host`, `/\host`, which browsers treat as another origin), holds no control characters
 * or backslashes, and is of sensible length. Anything else falls back to a fixed local path.
 */
export function localPathOr(value: unknown, fallback: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 1000) return fallback;
  if (!value.startsWith('/') || value.startsWith('//')) return fallback;
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return fallback;
  return value;
}
