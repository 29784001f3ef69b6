import fs from 'node:fs';
import path from 'node:path';

/** One request the app answered while a browser suite ran (recorded by the test server, see server.ts). */
export type RequestRecord = Readonly<{
  method: string;
  path: string;
  /** The Express route that answered, e.g. /services/:service/:page; undefined for static files and 404s. */
  route: string | undefined;
  status: number;
  contentType: string;
}>;

/** One page state that went through every check (checks.ts). */
export type CheckedRecord = Readonly<{
  method: string;
  path: string;
  state: string;
  js: boolean;
  light: boolean;
}>;

const requests: RequestRecord[] = [];
const checked: CheckedRecord[] = [];

export const recordRequest = (record: RequestRecord): void => {
  requests.push(record);
};
export const recordChecked = (record: CheckedRecord): void => {
  checked.push(record);
};

/** Where the suites of one `npm run test:a11y` leave their records (global-setup.js creates it). */
const runDir = (): string | undefined => process.env.A11Y_RUN_DIR;

/** Write this test file's records for the route coverage test, which jest runs last (sequencer.js). */
export function flushCoverage(suite: string): void {
  const dir = runDir();
  if (!dir) return;
  fs.writeFileSync(path.join(dir, `${suite}.json`), JSON.stringify({ suite, requests, checked }));
}

export function readCoverage(): { suites: string[]; requests: RequestRecord[]; checked: CheckedRecord[] } {
  const dir = runDir();
  if (!dir) throw new Error('A11Y_RUN_DIR is not set: run the suite with npm run test:a11y');
  const suites: string[] = [];
  const all = { requests: [] as RequestRecord[], checked: [] as CheckedRecord[] };
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const data = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as {
      suite: string;
      requests: RequestRecord[];
      checked: CheckedRecord[];
    };
    suites.push(data.suite);
    all.requests.push(...data.requests);
    all.checked.push(...data.checked);
  }
  return { suites: suites.sort(), ...all };
}

import type { AppRoute } from '../../../src/app-routes';

export { appRoutes, type AppRoute } from '../../../src/app-routes';

const patternCache = new Map<string, RegExp>();
function patternOf(routePath: string): RegExp {
  let re = patternCache.get(routePath);
  if (!re) {
    const source = routePath
      .split('/')
      .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    re = new RegExp(`^${source}/?$`);
    patternCache.set(routePath, re);
  }
  return re;
}

/** The first route (in Express's order) whose pattern matches a visited path, as Express would choose it. */
export function routeFor(routes: readonly AppRoute[], method: string, urlPath: string): AppRoute | undefined {
  return routes.find((r) => r.method === method && patternOf(r.path).test(urlPath));
}
