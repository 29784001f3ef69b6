import type { DeclaredRoute } from '../../src/staff/access';
import { appWith, type TestApp } from '../helpers/app';
import {
  appRoutes,
  readCoverage,
  routeFor,
  type AppRoute,
  type CheckedRecord,
  type RequestRecord,
} from './helpers/coverage';

// Runs last (sequencer.js): fails when the app has a route that the browser suites did not visit. Every GET
// route must have had a page checked in full (checks.ts), unless it only ever answers with a redirect or
// something that is not a page (JSON, CSV, CSS...), which must still have been requested. Every POST route
// must have been submitted by the browser, and when it answers with a page (errors), that page checked.

/** Routes no browser requests by itself, with the reason. */
const NOT_VISITED: readonly (readonly [string, RegExp, string])[] = [
  ['GET', /\.map$/, 'source maps are only fetched by browser developer tools'],
];

const SUITES = ['checks', 'citizen', 'keyboard', 'performance', 'services', 'staff', 'timeout', 'uploads'];

const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
const exempt = (r: AppRoute) => NOT_VISITED.some(([m, p]) => m === r.method && p.test(r.path));

type Records = Readonly<{ requests: readonly RequestRecord[]; checked: readonly CheckedRecord[] }>;

/** Per route: page states checked in full and light, and what the server answered. */
function tally(routes: readonly AppRoute[], records: Records) {
  const full = new Map<string, number>();
  const light = new Map<string, number>();
  const states = new Map<string, Set<string>>();
  for (const c of records.checked) {
    const route = routeFor(routes, c.method, c.path);
    if (!route) continue; // a 404 for an unknown address
    const k = key(route);
    (c.light ? light : full).set(k, ((c.light ? light : full).get(k) ?? 0) + 1);
    states.set(k, (states.get(k) ?? new Set()).add(`${c.state}${c.js ? '' : ' (no JS)'}`));
  }
  const answered = new Map<string, { page: boolean }>();
  for (const r of records.requests) {
    if (!r.route) continue;
    const k = `${r.method} ${r.route}`;
    // A page: an HTML answer that is not a redirect.
    const page = r.contentType.startsWith('text/html') && (r.status < 300 || r.status >= 400);
    answered.set(k, { page: page || (answered.get(k)?.page ?? false) });
  }
  return { full, light, states, answered };
}

/** The routes the records do not cover, each with why. */
function uncovered(routes: readonly AppRoute[], records: Records): string[] {
  const { full, answered } = tally(routes, records);
  const missed: string[] = [];
  for (const route of routes.filter((r) => !exempt(r))) {
    const k = key(route);
    const seen = answered.get(k);
    if (!seen) missed.push(`${k}: never requested`);
    else if (seen.page && !full.has(k))
      missed.push(`${k}: answered with a page that was never checked in full`);
  }
  return missed;
}

let t: TestApp;
let routes: AppRoute[];
const records = (() => {
  try {
    return readCoverage();
  } catch {
    return { suites: [] as string[], requests: [], checked: [] };
  }
})();

beforeAll(async () => {
  t = await appWith();
  routes = appRoutes(t.app);
});
afterAll(() => t.close());

it('the walk of the router finds every route, in the order Express tries them', () => {
  const keys = routes.map(key);
  for (const expected of [
    'GET /',
    'GET /services/:service/check-answers',
    'GET /services/:service/:page',
    'POST /services/:service/:page',
    'POST /staff/sign-out',
    'GET /staff/users/:id/disable',
  ]) {
    expect(keys).toContain(expected);
  }
  // Express would answer these with the more specific route, declared first.
  expect(routeFor(routes, 'GET', '/services/register-a-vehicle/check-answers')?.path).toBe(
    '/services/:service/check-answers',
  );
  expect(routeFor(routes, 'GET', '/services/register-a-vehicle/fuel-type')?.path).toBe(
    '/services/:service/:page',
  );
  // Every staff route declared with its roles is in the router.
  const declared = t.app.locals.staffRoutes as readonly DeclaredRoute[];
  expect(declared.length).toBeGreaterThan(20);
  for (const d of declared) expect(keys).toContain(`${d.method.toUpperCase()} ${d.path}`);
});

it('with nothing visited, every route is reported', () => {
  expect(uncovered(routes, { requests: [], checked: [] })).toHaveLength(
    routes.filter((r) => !exempt(r)).length,
  );
});

it('every browser suite ran in this run and left its records', () => {
  expect(records.suites).toEqual(SUITES);
});

it('visited every route of the app (pages checked in full; redirects and files requested)', () => {
  expect(uncovered(routes, records)).toEqual([]);

  if (process.env.A11Y_COVERAGE_REPORT) {
    const { full, light, states } = tally(routes, records);
    const lines = routes
      .filter((r) => !exempt(r))
      .map((r) => {
        const k = key(r);
        return `${k.padEnd(58)} ${String(full.get(k) ?? 0).padStart(4)} full ${String(light.get(k) ?? 0).padStart(4)} light ${String(states.get(k)?.size ?? 0).padStart(3)} states`;
      });
    process.stdout.write(
      `\nRoutes: ${routes.length} (${routes.filter((r) => !exempt(r)).length} to visit). Page states checked: ` +
        `${records.checked.length} (${records.checked.filter((c) => !c.light).length} in full, ` +
        `${records.checked.filter((c) => !c.js).length} with JavaScript off)\n${lines.join('\n')}\n`,
    );
  }
});
