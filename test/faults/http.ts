import { totpCodeAt } from '../../src/staff/totp';
import vehiclePaths from '../fixtures/journeys/register-a-vehicle';
import type { TestStaffUser } from '../helpers/staff';

// Talking to the production build the way a browser behind the load balancer would (after bench/run.ts): the
// forwarded protocol makes the Secure `__Host-` session cookie work over plain HTTP on loopback.

export const SERVICE = '/services/register-a-vehicle';
export const FORWARDED = { 'x-forwarded-proto': 'https' } as const;
const TIMEOUT_MS = 15_000;

/** The session cookie to send back: the first part of each Set-Cookie, or the previous one if none was set. */
export function cookieFrom(res: Response, previous = ''): string {
  const set = res.headers.getSetCookie();
  if (set.length === 0) return previous;
  return set.map((c) => c.split(';')[0]).join('; ');
}

export const hiddenInput = (html: string, name: string): string =>
  new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1] ?? '';

export function formBody(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    for (const one of Array.isArray(value) ? value : [value]) params.append(key, one);
  }
  return params.toString();
}

export async function request(
  base: string,
  pathname: string,
  init: { method?: string; cookie?: string; body?: string } = {},
): Promise<{ res: Response; text: string }> {
  const res = await fetch(`${base}${pathname}`, {
    method: init.method ?? 'GET',
    headers: {
      ...FORWARDED,
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...(init.body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: init.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  return { res, text: await res.text() };
}

export type CitizenSession = { cookie: string; csrf: string };

/** Start Register a vehicle and open its first question page: a session cookie and its CSRF token. */
export async function startCitizenSession(base: string): Promise<CitizenSession> {
  const start = await request(base, `${SERVICE}/start`);
  let cookie = cookieFrom(start.res);
  const form = await request(base, firstQuestionPath(), { cookie });
  cookie = cookieFrom(form.res, cookie);
  const csrf = hiddenInput(form.text, '_csrf');
  if (!cookie || !csrf || form.res.status !== 200) {
    throw new Error(`could not start a journey: start ${start.res.status}, first page ${form.res.status}`);
  }
  return { cookie, csrf };
}

export const firstQuestionPath = (): string => `${SERVICE}/${vehiclePaths[0]!.steps[0]!.page}`;

/** Answer every page of the fixture's path 0, then open check answers for its submission token. */
export async function walkToCheckAnswers(
  base: string,
): Promise<CitizenSession & { submissionToken: string }> {
  const session = await startCitizenSession(base);
  for (const step of vehiclePaths[0]!.steps) {
    const { res } = await request(base, `${SERVICE}/${step.page}`, {
      method: 'POST',
      cookie: session.cookie,
      body: formBody({ ...step.body, _csrf: session.csrf }),
    });
    if (res.status !== 302) throw new Error(`journey step ${step.page} answered ${res.status}`);
    session.cookie = cookieFrom(res, session.cookie);
  }
  const check = await request(base, `${SERVICE}/check-answers`, { cookie: session.cookie });
  const submissionToken = hiddenInput(check.text, 'submissionToken');
  if (check.res.status !== 200 || !submissionToken) {
    throw new Error(`check answers answered ${check.res.status} without a submission token`);
  }
  return { ...session, cookie: cookieFrom(check.res, session.cookie), submissionToken };
}

/** One POST of check answers (send), answering with its status and Location. */
export async function send(
  base: string,
  session: CitizenSession & { submissionToken: string },
): Promise<{ status: number; location: string; retryAfter: string | null }> {
  const { res } = await request(base, `${SERVICE}/check-answers`, {
    method: 'POST',
    cookie: session.cookie,
    body: formBody({ _csrf: session.csrf, submissionToken: session.submissionToken }),
  });
  return {
    status: res.status,
    location: res.headers.get('location') ?? '',
    retryAfter: res.headers.get('retry-after'),
  };
}

const isRedirect = (status: number) => status === 302 || status === 303;

/**
 * Sign a member of staff in over HTTP (password, then the authenticator code): their session cookie. The code
 * step goes to `codeBase`, another instance, when given.
 */
export async function signInOverHttp(base: string, user: TestStaffUser, codeBase = base): Promise<string> {
  const page = await request(base, '/staff/sign-in');
  let cookie = cookieFrom(page.res);
  const password = await request(base, '/staff/sign-in', {
    method: 'POST',
    cookie,
    body: formBody({ email: user.email, password: user.password, _csrf: hiddenInput(page.text, '_csrf') }),
  });
  if (!isRedirect(password.res.status))
    throw new Error(`signing in: the password step answered ${password.res.status}`);
  cookie = cookieFrom(password.res, cookie);
  const codePage = await request(codeBase, '/staff/sign-in/code', { cookie });
  cookie = cookieFrom(codePage.res, cookie);
  const code = await request(codeBase, '/staff/sign-in/code', {
    method: 'POST',
    cookie,
    body: formBody({
      code: await totpCodeAt(user.totpSecret!, new Date()),
      _csrf: hiddenInput(codePage.text, '_csrf'),
    }),
  });
  if (!isRedirect(code.res.status)) throw new Error(`signing in: the code step answered ${code.res.status}`);
  return cookieFrom(code.res, cookie);
}
