import request from 'supertest';
import type { Express } from 'express';
import { appRoutes } from '../../src/app-routes';
import { AGENCIES } from '../../src/definitions/agencies';
import { appWith, type TestApp } from '../helpers/app';
import {
  csrfTokenIn,
  fixedClock,
  postForm,
  sendApplication,
  walkToCheckAnswers,
  type Agent,
} from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import { tableContents } from '../helpers/db';
import { createStaffUser, signIn } from '../helpers/staff';
import type { JourneyPath } from '../fixtures/journeys/types';
import vehiclePaths from '../fixtures/journeys/register-a-vehicle';
import { signInByEmail } from '../helpers/mail';

// The bad-input catalogue (docs/security.md#bad-input-catalogue), as raw URL-encoded values so that arrays, invalid
// UTF-8 and odd keys reach the app exactly as an attacker would send them.
const enc = encodeURIComponent;
const HOSTILE: Record<string, (name: string, normal: string) => string> = {
  'a repeated field': (n, v) => `${enc(n)}=${enc(v)}&${enc(n)}=second`,
  'bracketed keys': (n, v) => `${enc(n)}[]=${enc(v)}&${enc(n)}[x]=y`,
  '10,000 characters': (n) => `${enc(n)}=${'x'.repeat(10_000)}`,
  'a null byte': (n, v) => `${enc(n)}=${enc(v)}%00`,
  'invalid UTF-8': (n) => `${enc(n)}=%ED%A0%80%C0%AE`,
  'bidi and zero-width characters': (n, v) => `${enc(n)}=${enc(`\u202E${v}\u200B\uFEFF`)}`,
  'a script': (n) => `${enc(n)}=${enc('"><script>alert(1)</script><img src=x onerror=alert(1)>')}`,
  'a template': (n) => `${enc(n)}=${enc("{{7*7}}{{ constructor.constructor('x')() }}")}`,
  'SQL metacharacters': (n) => `${enc(n)}=${enc("'; DROP TABLE submission;--' OR 1=1--")}`,
  CRLF: (n, v) => `${enc(n)}=${enc(`${v}\r\nSet-Cookie: x=1`)}`,
  'a spreadsheet formula': (n) => `${enc(n)}=${enc('=HYPERLINK("http://evil.example","x")')}`,
  'homoglyphs and full-width digits': (n) => `${enc(n)}=${enc('ОО１２٣')}`,
  // Open redirects: an off-site address in the field itself and in every name a redirect target tends to have.
  'off-site redirect targets': (n) =>
    [
      `${enc(n)}=${enc('//evil.example/x')}`,
      ...['returnTo', 'next', 'redirect', 'continue']
        .filter((r) => r !== n)
        .map(
          (r, i) =>
            `${r}=${enc(['https://evil.example/', '/\\evil.example', 'javascript:alert(1)', '//evil.example'][i]!)}`,
        ),
    ].join('&'),
  'prototype keys': (n, v) =>
    `${enc(n)}=${enc(v)}&__proto__[polluted]=1&constructor[prototype][polluted]=1&__proto__.polluted=1&a[__proto__][polluted]=1&hasOwnProperty=1&toString=x&valueOf=1`,
};

/** Markup, a template, SQL and a decomposed é in one name: stored as typed (in NFC), shown as text. */
const STORED_HOSTILE = "<script>alert(1)</script>{{7*7}} Rene\u0301e O'Brien'; DROP TABLE submission;--";

type Target = Readonly<{
  route: string;
  url: string;
  fields: Record<string, string>;
  agent: () => Promise<Agent>;
  formPage?: string;
  /** A new client for every case (sign-in steps, where hostile attempts rightly lock the account). */
  fresh?: boolean;
}>;

async function sendHostile(target: Target): Promise<string[]> {
  const problems: string[] = [];
  const shared = target.fresh ? undefined : await target.agent();
  for (const [kind, make] of Object.entries(HOSTILE)) {
    for (const [field, normal] of Object.entries(target.fields)) {
      const agent = shared ?? (await target.agent());
      const page = await agent.get(target.formPage ?? target.url);
      // A page without the form (a status page with nothing to reply to, or a redirect): the session's token
      // from another form.
      const hasForm = page.status === 200 && parseHtml(page.text)('input[name="_csrf"]').length > 0;
      const token = csrfTokenIn(hasForm ? page.text : (await agent.get('/check-status')).text);
      const others = Object.entries(target.fields)
        .filter(([f]) => f !== field)
        .map(([f, v]) => `${enc(f)}=${enc(v)}`);
      const body = [`_csrf=${enc(token)}`, make(field, normal), ...others].join('&');
      const res = await agent.post(target.url).type('form').send(body);
      // What the issue allows: a GOV.UK validation page (422 with the error summary), another 4xx GOV.UK page
      // (never 415: every hostile body here is a form a browser could send), or a redirect.
      const isPage = (res.text ?? '').includes('govuk-template');
      const acceptable =
        res.status === 302 ||
        res.status === 303 ||
        (res.status === 422 && isPage && parseHtml(res.text)('.govuk-error-summary').length === 1) ||
        ([400, 403, 404, 409, 413, 429].includes(res.status) && isPage);
      // A redirect, if any, stays on this site: a path, never `//host`, `/\\host` or another scheme.
      const location = res.headers.location as string | undefined;
      if (location !== undefined && !/^\/(?![/\\])[^\r\n]*$/.test(location))
        problems.push(
          `${target.route} (${field}, ${kind}): redirected off the site to ${JSON.stringify(location)}`,
        );
      const leaked = /\bat .+\.(js|ts):\d+/.test(res.text) || res.text.includes('<script>alert(1)</script>');
      if (!acceptable || leaked)
        problems.push(
          `${target.route} (${field}, ${kind}): status ${res.status}${leaked ? ', unsafe output' : ''}`,
        );
    }
  }
  if (({} as Record<string, unknown>).polluted !== undefined)
    problems.push(`${target.route}: Object.prototype was polluted`);
  return problems;
}

const postRoutes = (app: Express): string[] =>
  appRoutes(app)
    .filter((r) => r.method === 'POST')
    .map((r) => r.path);

describe('hostile input to every form route never gets a 500', () => {
  let t: TestApp;
  let reference: string;
  const path0: JourneyPath = vehiclePaths[0]!;
  const targets: Target[] = [];
  let inertViewer: Agent;

  beforeAll(async () => {
    // Each simulated client has its own address (behind one proxy hop), so the sign-in lockouts that hostile
    // attempts rightly trigger for one client do not stop the next case from reaching the validation code.
    t = await appWith({ TRUST_PROXY_HOPS: '1' }, { clock: fixedClock });
    let clientNumber = 0;
    const newClient = () => {
      clientNumber++;
      return request.agent(t.app).set('X-Forwarded-For', `198.51.${clientNumber >> 8}.${clientNumber & 255}`);
    };
    const journeyAgent = await walkToCheckAnswers(t.app, 'register-a-vehicle', path0);
    reference = (await sendApplication(journeyAgent, 'register-a-vehicle')).headers
      .location!.split('/')
      .pop()!;
    const manager = await createStaffUser(t.db, {
      role: 'manager',
      agencies: Object.values(AGENCIES).map((a) => a.id),
    });
    const admin = await createStaffUser(t.db, { role: 'admin' });
    const target = await createStaffUser(t.db, {
      role: 'caseworker',
      agencies: [AGENCIES.vehicleLicensing.id],
    });
    // A message given up on, for the administrators' "Try again" (src/staff/message-admin.ts).
    const [deadMessageId] = await t
      .db('notification_outbox')
      .join('submission as s', 's.id', 'notification_outbox.submission_id')
      .where('s.reference', reference)
      .pluck('notification_outbox.id');
    await t.db('notification_outbox').where({ id: deadMessageId }).update({ status: 'dead' });
    const managerAgent = await signIn(t, manager, { clock: fixedClock });
    const adminAgent = await signIn(t, admin, { clock: fixedClock });
    inertViewer = await signIn(
      t,
      await createStaffUser(t.db, { role: 'manager', agencies: [AGENCIES.vehicleLicensing.id] }),
      {
        clock: fixedClock,
      },
    );
    const newPasswordAgent = await signIn(
      t,
      await createStaffUser(t.db, { role: 'caseworker', temporaryPassword: true }),
      { clock: fixedClock },
    );
    const asManager = async () => managerAgent;
    const asAdmin = async () => adminAgent;
    const anonymous = async () => newClient();
    /** The browser that sent `reference`, its survey not yet answered (so each case reaches the survey's checks). */
    const applicationSent = async () => {
      await t.db('submission').where({ reference }).update({ survey_answered: false });
      clientNumber++;
      return journeyAgent.set('X-Forwarded-For', `198.51.${clientNumber >> 8}.${clientNumber & 255}`);
    };
    /** A fresh session that has answered every page before `pageIndex`. */
    const journeyAt = (pageIndex: number) => async () => {
      const agent = newClient();
      await agent.get('/services/register-a-vehicle/start');
      for (const step of path0.steps.slice(0, pageIndex))
        await postForm(agent, `/services/register-a-vehicle/${step.page}`, step.body);
      return agent;
    };
    /** A citizen signed in to "your applications" (each with their own address: 5 links an hour per address). */
    let signIns = 0;
    const signedInCitizen = async () =>
      signInByEmail(t, newClient(), `hostile.citizen.${++signIns}@example.com`);
    const statusChecked = async () => {
      const agent = newClient();
      const form = await agent.get('/check-status');
      await agent
        .post('/check-status')
        .type('form')
        .send({ _csrf: csrfTokenIn(form.text), reference, proof: 'sarah.philips@example.com' });
      return agent;
    };
    /** A fresh account each time, so a lockout from one hostile case does not hide the next. */
    const passwordAccepted = async (enrolled = true) => {
      const user = await createStaffUser(t.db, { role: 'caseworker', enrolled });
      const agent = newClient();
      const form = await agent.get('/staff/sign-in');
      await agent
        .post('/staff/sign-in')
        .type('form')
        .send({ _csrf: csrfTokenIn(form.text), email: user.email, password: user.password });
      return agent;
    };

    path0.steps.forEach((step, i) => {
      const fields = Object.fromEntries(
        Object.entries(step.body).map(([k, v]) => [k, Array.isArray(v) ? v[0]! : v]),
      );
      targets.push({
        route: '/services/:service/:page',
        url: `/services/register-a-vehicle/${step.page}`,
        fields,
        agent: journeyAt(i),
      });
    });
    targets.push(
      {
        route: '/services/:service/check-answers',
        url: '/services/register-a-vehicle/check-answers',
        fields: { submissionToken: '00000000-0000-4000-8000-000000000000' },
        agent: journeyAt(path0.steps.length),
      },
      {
        route: '/services/:service/feedback',
        url: '/services/register-a-vehicle/feedback',
        fields: { rating: '5', comment: 'Fine' },
        agent: applicationSent,
        fresh: true, // one answer per application: the survey is reset for each case
      },
      {
        route: '/check-status',
        url: '/check-status',
        fields: { reference, proof: 'sarah.philips@example.com' },
        agent: anonymous,
      },
      {
        route: '/check-status/lost-reference',
        url: '/check-status/lost-reference',
        fields: { email: 'sarah.philips@example.com' },
        agent: anonymous,
      },
      {
        route: '/services/:service/save',
        url: '/services/register-a-vehicle/save',
        fields: { email: 'sarah.philips@example.com' },
        agent: journeyAt(2),
      },
      {
        route: '/continue',
        url: '/continue',
        fields: { email: 'sarah.philips@example.com' },
        agent: anonymous,
      },
      {
        route: '/your-applications/sign-in',
        url: '/your-applications/sign-in',
        fields: { email: 'sarah.philips@example.com' },
        agent: anonymous,
      },
      {
        // An unknown token: the button's form is never shown for it, so the token comes from another form.
        route: '/your-applications/sign-in/:token',
        url: `/your-applications/sign-in/${'A'.repeat(43)}`,
        formPage: '/your-applications/sign-in',
        fields: {},
        agent: anonymous,
      },
      {
        // Someone else's (or nobody's) draft: the 404 page.
        route: '/your-applications/drafts/:id/continue',
        url: '/your-applications/drafts/00000000-0000-4000-8000-000000000000/continue',
        formPage: '/your-applications',
        fields: {},
        agent: signedInCitizen,
      },
      {
        route: '/your-applications/drafts/:id/delete',
        url: '/your-applications/drafts/00000000-0000-4000-8000-000000000000/delete',
        formPage: '/your-applications',
        fields: {},
        agent: signedInCitizen,
      },
      {
        route: '/your-applications/sign-out',
        url: '/your-applications/sign-out',
        formPage: '/your-applications',
        fields: {},
        fresh: true,
        agent: signedInCitizen,
      },
      {
        route: '/check-status/your-application/reply',
        url: '/check-status/your-application/reply',
        formPage: '/check-status/your-application',
        fields: { reply: 'Here it is' },
        agent: statusChecked,
      },
      {
        route: '/staff/sign-in',
        url: '/staff/sign-in',
        fields: { email: 'nobody@example.gov.uk', password: 'not-the-password' },
        agent: anonymous,
      },
      {
        route: '/staff/sign-in/code',
        url: '/staff/sign-in/code',
        fields: { code: '123456' },
        agent: () => passwordAccepted(),
        fresh: true,
      },
      {
        route: '/staff/sign-in/recovery-code',
        url: '/staff/sign-in/recovery-code',
        fields: { code: 'ABCDE-23456' },
        agent: () => passwordAccepted(),
        fresh: true,
      },
      {
        route: '/staff/set-up-authenticator',
        url: '/staff/set-up-authenticator',
        fields: { code: '123456' },
        agent: () => passwordAccepted(false),
        fresh: true,
      },
      {
        route: '/staff/sign-out',
        url: '/staff/sign-out',
        formPage: '/staff',
        fields: {},
        fresh: true,
        agent: async () =>
          signIn(
            t,
            await createStaffUser(t.db, { role: 'manager', agencies: [AGENCIES.vehicleLicensing.id] }),
            {
              clock: fixedClock,
            },
          ),
      },
      {
        route: '/session/extend',
        url: '/session/extend',
        formPage: `/services/register-a-vehicle/${path0.steps[0]!.page}`,
        fields: { returnTo: `/services/register-a-vehicle/${path0.steps[0]!.page}` },
        agent: journeyAt(0),
      },
      {
        route: '/staff/session/extend',
        url: '/staff/session/extend',
        formPage: '/staff',
        fields: { returnTo: '/staff' },
        agent: asManager,
      },
      {
        route: '/staff/next-case',
        url: '/staff/next-case',
        formPage: '/staff',
        fields: {},
        agent: asManager,
      },
    );
    for (const [action, fields] of [
      ['assign', { assignee: 'me', version: '1' }],
      ['notes', { note: 'A note', version: '1' }],
      ['request-information', { message: 'Please send a photo', version: '1' }],
      ['withdraw-request', { version: '1' }],
      ['reject', { reason: 'No', version: '1' }],
      ['approve', { version: '1' }],
    ] as const) {
      targets.push({
        route: `/staff/submissions/:reference/${action}`,
        url: `/staff/submissions/${reference}/${action}`,
        formPage: `/staff/submissions/${reference}`,
        fields,
        agent: asManager,
      });
    }
    targets.push(
      {
        route: '/staff/services',
        url: '/staff/services',
        fields: { service: 'register-a-vehicle', month: '2026-10', cost: '1000', offline: '10' },
        agent: asAdmin,
      },
      {
        route: '/staff/users/new',
        url: '/staff/users/new',
        fields: {
          name: 'New Person',
          email: 'new.person@example.gov.uk',
          role: 'caseworker',
          agencies: AGENCIES.vehicleLicensing.id,
        },
        agent: asAdmin,
      },
      {
        route: '/staff/users/:id/disable',
        url: `/staff/users/${target.id}/disable`,
        fields: {},
        agent: asAdmin,
      },
      {
        route: '/staff/users/:id/sign-out',
        url: `/staff/users/${target.id}/sign-out`,
        fields: {},
        agent: asAdmin,
      },
      {
        route: '/staff/users/:id/reset-authenticator',
        url: `/staff/users/${target.id}/reset-authenticator`,
        fields: { password: 'wrong-password' },
        agent: asAdmin,
      },
      {
        // A new administrator each time: wrong passwords rightly end an administrator's session.
        route: '/staff/users/:id/reset-password',
        url: `/staff/users/${target.id}/reset-password`,
        fields: { password: 'wrong-password' },
        agent: async () => signIn(t, await createStaffUser(t.db, { role: 'admin' }), { clock: fixedClock }),
        fresh: true,
      },
      {
        route: '/staff/users/:id/unlock',
        url: `/staff/users/${target.id}/unlock`,
        fields: {},
        agent: asAdmin,
      },
      {
        route: '/staff/users/:id/enable',
        url: `/staff/users/${target.id}/enable`,
        formPage: '/staff/users',
        fields: {},
        agent: asAdmin,
      },
      {
        // No fields: the button alone. The id in the address is hostile-tested in test/staff/message-admin.test.ts.
        route: '/staff/messages/:id/retry',
        url: `/staff/messages/${deadMessageId}/retry`,
        formPage: '/staff/messages',
        fields: {},
        agent: asAdmin,
      },
      {
        route: '/staff/account/password',
        url: '/staff/account/password',
        fields: {
          currentPassword: 'not-the-password',
          newPassword: 'a long new passphrase',
          confirmPassword: 'a long new passphrase',
        },
        agent: async () =>
          signIn(t, await createStaffUser(t.db, { role: 'caseworker', agencies: [] }), { clock: fixedClock }),
        fresh: true,
      },
      {
        route: '/staff/account/notifications',
        url: '/staff/account/notifications',
        fields: { citizenReplies: 'yes' },
        agent: asManager,
      },
      {
        route: '/staff/new-password',
        url: '/staff/new-password',
        // One client: the one valid form (both fields as given) is never sent whole, so the password never changes.
        fields: { newPassword: 'a long new passphrase', confirmPassword: 'a long new passphrase' },
        agent: async () => newPasswordAgent,
      },
    );
  });
  afterAll(() => t.close());

  it('has a hostile-input case for every POST route the app has', () => {
    const declared = new Set(targets.map((x) => x.route));
    const missing = postRoutes(t.app).filter((r) => !declared.has(r));
    expect(missing).toEqual([]);
  });

  it('answers every hostile value on every form with a validation page, another 4xx page or a redirect on the site — never a 500 or unsafe output', async () => {
    const problems: string[] = [];
    for (const target of targets) problems.push(...(await sendHostile(target)));
    expect(problems).toEqual([]);
  }, 600_000);

  it('answers every hostile value as the token of an emailed link with a GOV.UK page, never a 500, and grants nothing', async () => {
    // The signed link to the status page (src/notifications/status-link.ts), the link to a saved draft
    // (src/drafts/draft-link.ts) and the link to sign in (src/sign-in): the token is the only input. The pages
    // of "your applications" that take an id or a reference from the URL answer 404, or send to sign-in first.
    const problems: string[] = [];
    const agent = request.agent(t.app);
    for (const [kind, make] of Object.entries(HOSTILE)) {
      const token = make('t', 'ABCD').replace(/^t=/, '');
      for (const path of [
        `/check-status/link/${token}`,
        `/check-status/link/${enc(token)}`,
        `/continue/${token}`,
        `/continue/${enc(token)}`,
        `/your-applications/sign-in/${token}`,
        `/your-applications/sign-in/${enc(token)}`,
        `/your-applications/drafts/${enc(token)}/delete`,
        `/your-applications/application/${enc(token)}`,
      ]) {
        const res = await agent.get(path);
        const isPage = (res.text ?? '').includes('govuk-template');
        const leaked =
          /\bat .+\.(js|ts):\d+/.test(res.text) || res.text.includes('<script>alert(1)</script>');
        const toSignIn = res.status === 303 && res.headers.location === '/your-applications/sign-in';
        if (!toSignIn && (![400, 404, 410, 429].includes(res.status) || !isPage || leaked))
          problems.push(`${path} (${kind}): status ${res.status}${leaked ? ', unsafe output' : ''}`);
      }
    }
    expect(problems).toEqual([]);
    await agent.get('/check-status/your-application').expect(303).expect('Location', '/check-status');
  });

  it("refuses every form on every route without its own session's CSRF token, and changes nothing", async () => {
    const problems: string[] = [];
    for (const target of targets) {
      const agent = await target.agent();
      const page = await agent.get(target.formPage ?? target.url);
      // The session's own token, from the form's page, or from another page of the same session when the form
      // is not shown at the moment (the reply form appears only once information is requested).
      const own = csrfTokenIn(
        page.text.includes('name="_csrf"') ? page.text : (await agent.get('/check-status')).text,
      );
      const someoneElses = csrfTokenIn((await request.agent(t.app).get('/check-status')).text);
      const before = await tableContents(t.db);
      for (const [kind, token] of [
        ['no token', undefined],
        ['an empty token', ''],
        ["another session's token", someoneElses],
        ['its own token, altered', `${own.slice(0, -2)}xx`],
      ] as const) {
        const body = { ...target.fields, ...(token === undefined ? {} : { _csrf: token }) };
        const res = await agent.post(target.url).type('form').send(body);
        if (res.status !== 403 || !res.text.includes('Sorry, your form could not be sent'))
          problems.push(`${target.route} with ${kind}: ${res.status}`);
      }
      const after = await tableContents(t.db);
      if (after !== before) problems.push(`${target.route}: the database changed`);
    }
    expect(problems).toEqual([]);
  }, 300_000);

  it("changes nothing when a form route is asked for with GET or HEAD, even with the form's fields in the query", async () => {
    // docs/security.md#c2: only POST changes state. A GET of an action's address (a link, a prefetch, a crawler) is
    // answered with a page, a redirect or a 404, never by doing the action.
    const problems: string[] = [];
    for (const target of targets) {
      const agent = await target.agent();
      await agent.get(target.formPage ?? target.url);
      const before = await tableContents(t.db);
      const query = new URLSearchParams(target.fields).toString();
      for (const method of ['get', 'head'] as const) {
        const res = await agent[method](`${target.url}?${query}`).redirects(0);
        if (res.status >= 500) problems.push(`${method.toUpperCase()} ${target.route}: ${res.status}`);
      }
      const after = await tableContents(t.db);
      if (after !== before) problems.push(`${target.route}: the database changed`);
    }
    expect(problems).toEqual([]);
  }, 300_000);

  it('shows stored hostile values inert to staff', async () => {
    const agent = await walkToCheckAnswers(t.app, 'register-a-vehicle', {
      ...path0,
      steps: path0.steps.map((s) =>
        s.page === 'keeper-name' ? { ...s, body: { keeperName: STORED_HOSTILE } } : s,
      ),
    });
    const sent = await sendApplication(agent, 'register-a-vehicle');
    const ref = sent.headers.location!.split('/').pop()!;
    // Stored exactly as typed: the SQL went in as a bound value, not as SQL (and the table is still there).
    const row = await t.db('submission').where({ reference: ref }).first('answers');
    const answers = typeof row.answers === 'string' ? JSON.parse(row.answers) : row.answers;
    expect(answers.keeperName).toBe(STORED_HOSTILE.normalize('NFC'));
    expect(answers.keeperName).toContain('Ren\u00e9e'); // composed once, on the way in (V2)
    const view = await inertViewer.get(`/staff/submissions/${ref}`).expect(200);
    expect(view.text).not.toContain('<script>alert(1)</script>');
    expect(view.text).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt;{{7*7}} Ren\u00e9e O&#39;Brien&#39;; DROP TABLE',
    );
    expect(parseHtml(view.text)('script:not([src])').length).toBe(1);
  });
});
