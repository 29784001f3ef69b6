import crypto from 'node:crypto';
import request from 'supertest';
import { AGENCIES } from '../../src/definitions/agencies';
import type { DeclaredRoute } from '../../src/staff/access';
import { appWith, type TestApp } from '../helpers/app';
import { tableContents } from '../helpers/db';
import { csrfTokenIn, fixedClock, sendApplication, walkToCheckAnswers, type Agent } from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import { createStaffUser, signIn, type TestStaffUser } from '../helpers/staff';
import vehiclePaths from '../fixtures/journeys/register-a-vehicle';

// Issue 7, docs/security.md#z4 (mass assignment): every staff form route declares the fields it accepts, a request with
// any other field is refused with a 400 page before the action runs, and the database is unchanged. The status,
// who decided, the service and the assignee are never taken from a field the form does not have.

const VEHICLE_AGENCIES = [AGENCIES.vehicleLicensing.id, AGENCIES.taxAuthority.id];
const COULD_NOT_READ = 'Sorry, we could not read what you sent';

/** Fields a forged request might add, hoping the handler copies the body into a row. */
const FORGED: Record<string, string> = {
  status: 'status=approved',
  decided_by: 'decided_by=1',
  decidedBy: 'decidedBy=1',
  service_id: 'service_id=1',
  service_slug: 'service_slug=report-a-pothole',
  assigned_to: 'assigned_to=1',
  role: 'role=admin',
  agency: 'agency=tax-authority',
  submission_id: 'submission_id=1',
  'a prototype key': '__proto__%5Bstatus%5D=approved',
};

const enc = encodeURIComponent;
const formBody = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([k, v]) => `${enc(k)}=${enc(v)}`)
    .join('&');

type Target = Readonly<{
  route: string;
  url: string;
  /** A page with a form, for a CSRF token. */
  formPage: string;
  /** A valid form for the route, so that only the forged field can be the reason for a refusal. */
  fields: Record<string, string> | (() => Promise<Record<string, string>>);
  agent: () => Promise<Agent>;
}>;

const validFields = (target: Target) =>
  typeof target.fields === 'function' ? target.fields() : target.fields;

describe('staff forms accept only the fields they have', () => {
  let t: TestApp;
  let reference: string;
  let manager: Agent;
  let admin: Agent;
  let colleague: TestStaffUser;
  let changing: TestStaffUser | undefined; // the account of the last change-your-password client
  let temporaryPasswordUser: () => Promise<TestStaffUser>;
  const NEW_PASSWORD = 'a new and long passphrase';
  const targets: Target[] = [];

  const versionOf = async (agent: Agent, ref: string) =>
    parseHtml((await agent.get(`/staff/submissions/${ref}`)).text)('input[name="version"]')
      .first()
      .attr('value')!;

  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock });
    const journey = await walkToCheckAnswers(t.app, 'register-a-vehicle', vehiclePaths[0]!);
    reference = (await sendApplication(journey, 'register-a-vehicle')).headers.location!.split('/').pop()!;
    const managerUser = await createStaffUser(t.db, { role: 'manager', agencies: VEHICLE_AGENCIES });
    manager = await signIn(t, managerUser, { clock: fixedClock });
    const adminUser = await createStaffUser(t.db, { role: 'admin' });
    admin = await signIn(t, adminUser, { clock: fixedClock });
    colleague = await createStaffUser(t.db, { role: 'caseworker', agencies: VEHICLE_AGENCIES });
    // Two emails given up on: one is tried again through the form below, the other keeps its form on the page.
    const [confirmation] = await t.db('notification_outbox').select('*');
    const deadIds = [crypto.randomUUID(), crypto.randomUUID()];
    for (const id of deadIds) {
      await t.db('notification_outbox').insert({ ...confirmation, id, status: 'dead', attempts: 10 });
    }
    temporaryPasswordUser = () =>
      createStaffUser(t.db, { role: 'caseworker', agencies: VEHICLE_AGENCIES, temporaryPassword: true });
    const signingIn = async () => {
      const agent = request.agent(t.app);
      const page = await agent.get('/staff/sign-in');
      await agent
        .post('/staff/sign-in')
        .type('form')
        .send({ email: colleague.email, password: colleague.password, _csrf: csrfTokenIn(page.text) })
        .expect(302);
      return agent;
    };
    const casePage = `/staff/submissions/${reference}`;
    const caseAction = (action: string, fields: Record<string, string>): Target => ({
      route: `/staff/submissions/:reference/${action}`,
      url: `${casePage}/${action}`,
      formPage: casePage,
      fields: async () => ({ version: await versionOf(manager, reference), ...fields }),
      agent: async () => manager,
    });
    targets.push(
      {
        route: '/staff/sign-in',
        url: '/staff/sign-in',
        formPage: '/staff/sign-in',
        fields: { email: colleague.email, password: colleague.password },
        agent: async () => request.agent(t.app),
      },
      {
        route: '/staff/sign-in/code',
        url: '/staff/sign-in/code',
        formPage: '/staff/sign-in/code',
        fields: { code: '123456' },
        agent: signingIn,
      },
      {
        route: '/staff/sign-in/recovery-code',
        url: '/staff/sign-in/recovery-code',
        formPage: '/staff/sign-in/recovery-code',
        fields: { recoveryCode: 'ABCDE-23456' },
        agent: signingIn,
      },
      {
        route: '/staff/set-up-authenticator',
        url: '/staff/set-up-authenticator',
        formPage: '/staff/sign-in/code',
        fields: { code: '123456' },
        agent: signingIn,
      },
      {
        route: '/staff/sign-out',
        url: '/staff/sign-out',
        formPage: '/staff',
        fields: {},
        agent: async () => signIn(t, managerUser, { clock: fixedClock }),
      },
      {
        route: '/staff/session/extend',
        url: '/staff/session/extend',
        formPage: '/staff',
        fields: { returnTo: '/staff' },
        agent: async () => manager,
      },
      {
        route: '/staff/next-case',
        url: '/staff/next-case',
        formPage: '/staff',
        fields: {},
        agent: async () => manager,
      },
      caseAction('assign', { assignee: 'me' }),
      caseAction('notes', { note: 'Checked the V5C' }),
      // Approved before the two that a decided case refuses (with its own 422), so the last check can see it.
      caseAction('approve', {}),
      caseAction('request-information', { message: 'Send a photo of the V5C' }),
      caseAction('reject', { reason: 'The V5C does not match' }),
      caseAction('withdraw-request', {}),
      {
        route: '/staff/account/notifications',
        url: '/staff/account/notifications',
        formPage: '/staff/account/notifications',
        fields: { citizenReplies: 'yes' },
        agent: async () => manager,
      },
      {
        route: '/staff/services',
        url: '/staff/services',
        formPage: '/staff/services',
        fields: { service: 'register-a-vehicle', month: '2026-10', cost: '1200.50', offline: '12' },
        agent: async () => admin,
      },
      {
        route: '/staff/users/new',
        url: '/staff/users/new',
        formPage: '/staff/users/new',
        fields: {
          displayName: 'Priya Shah',
          email: 'priya.shah@example.gov.uk',
          role: 'caseworker',
          agencies: AGENCIES.vehicleLicensing.id,
        },
        agent: async () => admin,
      },
      {
        route: '/staff/users/:id/disable',
        url: `/staff/users/${colleague.id}/disable`,
        formPage: `/staff/users/${colleague.id}/disable`,
        fields: {},
        agent: async () => admin,
      },
      {
        route: '/staff/users/:id/sign-out',
        url: `/staff/users/${colleague.id}/sign-out`,
        formPage: `/staff/users/${colleague.id}/sign-out`,
        fields: {},
        agent: async () => admin,
      },
      {
        route: '/staff/users/:id/reset-authenticator',
        url: `/staff/users/${colleague.id}/reset-authenticator`,
        formPage: `/staff/users/${colleague.id}/reset-authenticator`,
        fields: { password: 'the-admins-password' },
        agent: async () => admin,
      },
      {
        route: '/staff/users/:id/reset-password',
        url: `/staff/users/${colleague.id}/reset-password`,
        formPage: `/staff/users/${colleague.id}/reset-password`,
        fields: { password: 'the-admins-password' },
        agent: async () => admin,
      },
      {
        route: '/staff/messages/:id/retry',
        url: `/staff/messages/${deadIds[0]}/retry`,
        formPage: '/staff/messages',
        fields: {},
        agent: async () => admin,
      },
      {
        route: '/staff/users/:id/unlock',
        url: `/staff/users/${colleague.id}/unlock`,
        formPage: `/staff/users/${colleague.id}/unlock`,
        fields: {},
        agent: async () => admin,
      },
      {
        route: '/staff/users/:id/enable',
        url: `/staff/users/${colleague.id}/enable`,
        formPage: '/staff/users',
        fields: {},
        agent: async () => admin,
      },
      {
        route: '/staff/new-password',
        url: '/staff/new-password',
        formPage: '/staff/new-password',
        fields: { newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
        agent: async () => signIn(t, await temporaryPasswordUser(), { clock: fixedClock }),
      },
      {
        route: '/staff/account/password',
        url: '/staff/account/password',
        formPage: '/staff/account/password',
        fields: async () => ({
          currentPassword: changing!.password,
          newPassword: NEW_PASSWORD,
          confirmPassword: NEW_PASSWORD,
        }),
        agent: async () => {
          changing = await createStaffUser(t.db, { role: 'caseworker', agencies: VEHICLE_AGENCIES });
          return signIn(t, changing, { clock: fixedClock });
        },
      },
    );
  });
  afterAll(() => t.close());

  it('covers every staff form route, and each declares the fields it accepts', () => {
    const declared = (t.app.locals.staffRoutes as readonly DeclaredRoute[]).filter(
      (r) => r.method === 'post',
    );
    expect(targets.map((x) => x.route).sort()).toEqual(declared.map((r) => r.path).sort());
    for (const route of declared) expect(route.fields).toBeDefined();
  });

  it('refuses a form with a forged field with the could-not-read page, for every staff form route, and changes nothing', async () => {
    const problems: string[] = [];
    for (const target of targets) {
      // One client per route: a refused request changes nothing, so the session stays at the same step.
      const agent = await target.agent();
      for (const [name, forged] of Object.entries(FORGED)) {
        // A field the form really has is not forged: `role` belongs to the new-user form.
        if (forged.split('=')[0]! in (await validFields(target))) continue;
        const token = csrfTokenIn((await agent.get(target.formPage)).text);
        const before = await tableContents(t.db);
        const body = [`_csrf=${enc(token)}`, formBody(await validFields(target)), forged].join('&');
        const res = await agent.post(target.url).type('form').send(body);
        const h1 = parseHtml(res.text)('h1').text().trim();
        if (res.status !== 400 || h1 !== COULD_NOT_READ)
          problems.push(`${target.route} with ${name}: ${res.status} "${h1}"`);
        if ((await tableContents(t.db)) !== before)
          problems.push(`${target.route} with ${name}: the database changed`);
      }
    }
    expect(problems).toEqual([]);
  }, 90_000);

  it('accepts the same forms without the forged field', async () => {
    const outcomes: Record<string, boolean> = {};
    for (const target of targets) {
      const agent = await target.agent();
      const token = csrfTokenIn((await agent.get(target.formPage)).text);
      const body = [`_csrf=${enc(token)}`, formBody(await validFields(target))].join('&');
      const res = await agent.post(target.url).type('form').send(body);
      outcomes[target.route] = res.status !== 400 && !res.text.includes(COULD_NOT_READ);
    }
    expect(Object.values(outcomes).every(Boolean) ? 'all accepted' : outcomes).toBe('all accepted');
    // And they did what they say: the case was decided by the manager, through the action, not the body.
    const row = await t.db('submission').where({ reference }).first('status', 'assigned_to');
    expect(row.status).toBe('approved');
  });

  it('declares exactly the fields the pages’ forms send', async () => {
    const declared = (t.app.locals.staffRoutes as readonly DeclaredRoute[]).filter(
      (r) => r.method === 'post',
    );
    const journey = await walkToCheckAnswers(t.app, 'register-a-vehicle', vehiclePaths[0]!);
    const open = (await sendApplication(journey, 'register-a-vehicle')).headers.location!.split('/').pop()!;
    const disabled = await createStaffUser(t.db, { role: 'caseworker', agencies: VEHICLE_AGENCIES });
    await t.db('staff_user').where('id', disabled.id).update({ disabled_at: fixedClock() });
    const pages: [Agent, string][] = [
      [manager, '/staff'],
      [manager, `/staff/submissions/${open}`],
      [admin, '/staff/services'],
      [admin, '/staff/users/new'],
      [admin, `/staff/users/${colleague.id}/disable`],
      [admin, `/staff/users/${colleague.id}/sign-out`],
      [admin, `/staff/users/${colleague.id}/reset-authenticator`],
      [admin, `/staff/users/${colleague.id}/reset-password`],
      [admin, `/staff/users/${colleague.id}/unlock`],
      [admin, `/staff/users/${disabled.id}/enable`],
      [admin, '/staff/messages'],
      [manager, '/staff/account/password'],
      [await signIn(t, await temporaryPasswordUser(), { clock: fixedClock }), '/staff/new-password'],
      [request.agent(t.app), '/staff/sign-in'],
    ];
    const sent = new Map<string, Set<string>>();
    for (const [agent, url] of pages) {
      const $ = parseHtml((await agent.get(url).expect(200)).text);
      $('form[method="post"]').each((_i, form) => {
        const action = $(form).attr('action')!;
        const route = declared.find((r) =>
          new RegExp(`^${r.path.replace(/:[a-z]+/g, '[^/]+')}$`).test(action),
        )?.path;
        expect({ action, route: route ?? 'not a declared route' }).toEqual({ action, route });
        const names = sent.get(route!) ?? new Set<string>();
        $(form)
          .find('input[name], select[name], textarea[name]')
          .each((_j, input) => {
            if ($(input).attr('name') !== '_csrf') names.add($(input).attr('name')!);
          });
        sent.set(route!, names);
      });
    }
    expect(sent.size).toBeGreaterThan(8);
    for (const [route, names] of sent) {
      const fields = declared.find((r) => r.path === route)!.fields!;
      expect({ route, fields: [...names].sort() }).toEqual({ route, fields: [...fields].sort() });
    }
  });
});
