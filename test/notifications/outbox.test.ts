import fs from 'node:fs';
import request from 'supertest';
import { HtmlValidate } from 'html-validate';
import { AGENCIES } from '../../src/definitions/agencies';
import { appWith, productionEnv, type TestApp } from '../helpers/app';
import { csrfTokenIn, sendApplication, walkToCheckAnswers, type Agent } from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import { createStaffUser, signIn, caseAction } from '../helpers/staff';
import { fixtureFor } from '../helpers/journey-fixtures';
import { NO_EMAIL_MESSAGE } from '../../src/notifications/case-messages';
import { workerFor } from '../../src/notifications';
import { createLogger } from '../../src/middleware/logging';
import type { JourneyPath } from '../fixtures/journeys/types';

// The transactional outbox (src/notifications/outbox.ts): each event writes its email in its own transaction.

let now = new Date('2026-11-30T10:00:00Z');
const clock = () => now;
const [selfAssessment] = fixtureFor('file-a-self-assessment-tax-return') as [JourneyPath];
const [potholeWithEmail, potholeWithout] = fixtureFor('report-a-pothole') as [JourneyPath, JourneyPath];

let t: TestApp;
let staff: Agent;

async function send(slug: string, path: JourneyPath) {
  const agent = await walkToCheckAnswers(t.app, slug, path);
  const sent = await sendApplication(agent, slug);
  return { res: sent, reference: sent.headers.location?.split('/').pop() ?? '' };
}

const act = (reference: string, action: string, fields: Record<string, string> = {}) =>
  caseAction(staff, reference, action, fields);

const outboxOf = (reference: string) =>
  t
    .db('notification_outbox as o')
    .join('submission as s', 's.id', 'o.submission_id')
    .where('s.reference', reference)
    .orderBy('o.created_at')
    .orderBy('o.template')
    .select('o.*');

/** Makes every insert into `table` fail, as a crash or a constraint would, until the returned function is called. */
async function failInsertsInto(table: string): Promise<() => Promise<void>> {
  await t.db.raw(`create function test_refuse_insert() returns trigger language plpgsql as $$
    begin raise exception 'refused by the test'; end $$`);
  await t.db.raw(
    `create trigger test_refuse before insert on ?? for each row execute function test_refuse_insert()`,
    [table],
  );
  return async () => {
    await t.db.raw('drop trigger test_refuse on ??', [table]);
    await t.db.raw('drop function test_refuse_insert()');
  };
}

beforeAll(async () => {
  t = await appWith({}, { clock });
  const caseworker = await createStaffUser(t.db, {
    role: 'caseworker',
    agencies: [AGENCIES.taxAuthority.id, AGENCIES.localCouncil.id],
  });
  staff = await signIn(t, caseworker, { clock });
});
afterAll(() => t.close());

describe('the notification outbox', () => {
  it('writes the "application sent" email with the submission: to the contact email, identifiers masked', async () => {
    const { res, reference } = await send('file-a-self-assessment-tax-return', selfAssessment);
    expect(res.status).toBe(303);
    const rows = await outboxOf(reference);
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({
      template: 'application-sent',
      recipient: 'sam.taylor@example.com',
      status: 'pending',
      attempts: 0,
    });
    const data = typeof row.data === 'string' ? JSON.parse(row.data) : row.data;
    expect(data.reference).toBe(reference);
    const answers = JSON.stringify(data.sections);
    expect(answers).toContain('*******890'); // UTR 2234567890
    expect(answers).toContain('******23A'); // NI JG 10 37 23 A
    expect(answers).not.toContain('2234567890');
    expect(answers).not.toContain('JG 10 37 23 A');
    expect(await t.db('submission').where({ reference }).first('contact_email')).toEqual({
      contact_email: 'sam.taylor@example.com',
    });
  });

  it('rolls the submission and its event back when its email cannot be written, keeping the answers', async () => {
    const before = await t.db('submission').count({ n: '*' }).first();
    const restore = await failInsertsInto('notification_outbox');
    try {
      const agent = await walkToCheckAnswers(t.app, 'report-a-pothole', potholeWithEmail);
      const res = await sendApplication(agent, 'report-a-pothole');
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(await t.db('submission').count({ n: '*' }).first()).toEqual(before);
      expect(await t.db('submission_event').where({ type: 'submitted' }).count({ n: '*' }).first()).toEqual(
        before,
      );
      // The answers are still there: once it works again, the same send goes through.
      await restore();
      const again = await sendApplication(agent, 'report-a-pothole');
      expect(again.status).toBe(303);
      const reference = again.headers.location!.split('/').pop()!;
      expect(await outboxOf(reference)).toHaveLength(1);
    } finally {
      await restore().catch(() => {});
    }
  });

  it('writes the request for information and the decision emails with the change, or neither when it fails', async () => {
    const { reference } = await send('file-a-self-assessment-tax-return', selfAssessment);
    now = new Date('2026-11-30T10:10:00Z');
    expect((await act(reference, 'assign', { assignee: 'me' })).status).toBe(303);
    expect((await act(reference, 'request-information', { message: 'Send your P60, please.' })).status).toBe(
      303,
    );
    let rows = await outboxOf(reference);
    expect(rows.map((r) => r.template)).toEqual(['application-sent', 'information-requested']);
    const requested = typeof rows[1].data === 'string' ? JSON.parse(rows[1].data) : rows[1].data;
    expect(requested).toMatchObject({ request: 'Send your P60, please.', pausedOn: '2026-11-30', reference });

    // The citizen replies; the decision's audit row then fails: the decision and its email both roll back.
    const citizen = request.agent(t.app);
    const form = await citizen.get('/check-status');
    await citizen
      .post('/check-status')
      .type('form')
      .send({ _csrf: csrfTokenIn(form.text), reference, proof: 'sam.taylor@example.com' })
      .expect(303);
    const page = await citizen.get('/check-status/your-application').expect(200);
    await citizen
      .post('/check-status/your-application/reply')
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text), reply: 'Attached.' })
      .expect(303);
    const restore = await failInsertsInto('audit_event');
    try {
      const failed = await act(reference, 'reject', { reason: 'Your figures do not add up.' });
      expect(failed.status).toBeGreaterThanOrEqual(500);
    } finally {
      await restore();
    }
    expect((await t.db('submission').where({ reference }).first('status')).status).toBe('in-review');
    expect(await outboxOf(reference)).toHaveLength(2);

    now = new Date('2026-11-30T10:20:00Z');
    expect((await act(reference, 'reject', { reason: 'Your figures do not add up.' })).status).toBe(303);
    rows = await outboxOf(reference);
    expect(rows.map((r) => r.template)).toEqual(['application-sent', 'information-requested', 'decision']);
    const decided = typeof rows[2].data === 'string' ? JSON.parse(rows[2].data) : rows[2].data;
    expect(decided).toMatchObject({ outcome: 'rejected', reason: 'Your figures do not add up.' });
  });

  it('writes the approval email', async () => {
    const { reference } = await send('report-a-pothole', potholeWithEmail);
    expect((await act(reference, 'approve')).status).toBe(303);
    const rows = await outboxOf(reference);
    expect(rows.map((r) => [r.template, r.recipient])).toEqual([
      ['application-sent', 'kim.nguyen@example.com'],
      ['decision', 'kim.nguyen@example.com'],
    ]);
  });

  it('sends nothing for an application with no email, says so on the case, and does not offer a request', async () => {
    // Every service now asks for an email, but applications sent before that have none on record.
    const { reference } = await send('report-a-pothole', potholeWithout);
    await t
      .db('notification_outbox')
      .where({ submission_id: (await t.db('submission').where({ reference }).first('id')).id })
      .delete();
    await t.db('submission').where({ reference }).update({ contact_email: null, status_check_email: null });
    expect(await outboxOf(reference)).toHaveLength(0);
    const page = await staff.get(`/staff/submissions/${reference}`).expect(200);
    const $ = parseHtml(page.text);
    expect($('#no-email').text()).toContain('the citizen gave no email address');
    expect($('.govuk-summary-list__row').text()).toContain('None: the citizen gave no email address');
    expect($('form[action$="/request-information"]')).toHaveLength(0);

    // A request posted anyway (an old page, a crafted form) is refused and changes nothing.
    const version = $('input[name="version"]').first().attr('value')!;
    const refused = await staff
      .post(`/staff/submissions/${reference}/request-information`)
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text), version, message: 'Where exactly is it?' });
    expect(refused.status).toBe(422);
    expect(parseHtml(refused.text)('#case-problem').text()).toContain(NO_EMAIL_MESSAGE);
    expect((await t.db('submission').where({ reference }).first('status')).status).toBe('submitted');
    expect(await outboxOf(reference)).toHaveLength(0);

    // It can still be decided, silently.
    expect((await act(reference, 'approve')).status).toBe(303);
    expect(await outboxOf(reference)).toHaveLength(0);
  });

  it('fills in the reference on the status check from the email link, and ignores anything that is not one', async () => {
    const { reference } = await send('report-a-pothole', potholeWithEmail);
    const formatted = `${reference.slice(0, 4)}-${reference.slice(4, 8)}-${reference.slice(8)}`;
    const page = await request(t.app).get(`/check-status?reference=${formatted}`).expect(200);
    expect(parseHtml(page.text)('input[name="reference"]').attr('value')).toBe(formatted);
    expect(parseHtml(page.text)('input[name="proof"]').attr('value') ?? '').toBe('');
    const junk = await request(t.app).get('/check-status?reference=%3Cscript%3E').expect(200);
    expect(parseHtml(junk.text)('input[name="reference"]').attr('value') ?? '').toBe('');
  });
});

describe('the development mailbox', () => {
  it('lists every email and shows each one as it would be sent, identifiers masked', async () => {
    const { reference } = await send('file-a-self-assessment-tax-return', selfAssessment);
    const [row] = await outboxOf(reference);
    const list = await request(t.app).get('/dev/mailbox').expect(200);
    const $ = parseHtml(list.text);
    expect($('h1').text()).toBe('Development mailbox');
    const link = $(`a[href="/dev/mailbox/${row.id}"]`);
    expect(link.text()).toContain(`${reference.slice(0, 4)}-${reference.slice(4, 8)}-${reference.slice(8)}`);

    const message = await request(t.app).get(`/dev/mailbox/${row.id}`).expect(200);
    const text = parseHtml(message.text)('pre').text();
    expect(text).toContain('Your reference number is');
    expect(text).toContain('*******890');
    expect(text).toContain('******23A');
    expect(text).not.toContain('2234567890');
    expect(text).toContain(`http://localhost:3000/check-status?reference=${reference.slice(0, 4)}-`);
    expect(parseHtml(message.text)('.govuk-summary-list').text()).toContain(`<${row.id}@example.gov.uk>`);
  });

  it('is where the worker delivers without SMTP_URL: each email is then shown as sent', async () => {
    const { reference } = await send('report-a-pothole', potholeWithEmail);
    const worker = workerFor(t.config, t.db, createLogger(t.config))!;
    expect(t.config.notifications.smtpUrl).toBeUndefined();
    await worker.runOnce();
    await worker.stop();
    const [row] = await outboxOf(reference);
    expect(row).toMatchObject({ status: 'sent', delivered_via: 'mailbox', attempts: 1 });
    const message = await request(t.app).get(`/dev/mailbox/${row.id}`).expect(200);
    expect(parseHtml(message.text)('.govuk-summary-list').text()).toContain('to the mailbox');
  });

  it('shows the HTML part as sent, under a sandbox policy that lets nothing in it run, what staff typed escaped', async () => {
    const { reference } = await send('report-a-pothole', potholeWithEmail);
    expect((await act(reference, 'assign', { assignee: 'me' })).status).toBe(303);
    const typed = '<script>alert(1)</script><img src=x onerror=alert(1)> & "Tom\'s" {{7*7}}';
    expect((await act(reference, 'request-information', { message: typed })).status).toBe(303);
    const [, row] = await outboxOf(reference);
    expect(row.template).toBe('information-requested');

    const page = await request(t.app).get(`/dev/mailbox/${row.id}`).expect(200);
    expect(parseHtml(page.text)('#html-part').attr('href')).toBe(`/dev/mailbox/${row.id}/html`);

    const html = await request(t.app).get(`/dev/mailbox/${row.id}/html`).expect(200);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(html.headers['content-security-policy']).split(/;\s*/);
    expect(csp).toEqual(
      expect.arrayContaining([
        'sandbox',
        "default-src 'none'",
        "style-src 'unsafe-inline'",
        "frame-ancestors 'none'",
      ]),
    );
    expect(csp.join(';')).not.toMatch(/script-src|nonce-|allow-/);
    expect(html.headers['x-content-type-options']).toBe('nosniff');
    expect(html.headers['cache-control']).toBe('no-store');
    expect(html.text).toMatch(/^<!DOCTYPE html><html lang="en">/);
    expect(html.text).not.toContain('<script');
    expect(html.text).not.toContain('<img');
    expect(html.text).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Tom&#39;s&quot; {{7*7}}',
    );
    const $ = parseHtml(html.text);
    expect($('title').text()).toMatch(/^More information needed: reference /);
    expect($('script')).toHaveLength(0);
    // Valid HTML by the browser suite's rules, but for inline styles: that is how email is styled.
    const rules = JSON.parse(fs.readFileSync('.htmlvalidate.json', 'utf8'));
    const report = await new HtmlValidate({
      ...rules,
      rules: { ...rules.rules, 'no-inline-style': 'off' },
    }).validateString(html.text);
    expect(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`))).toEqual([]);
  });

  it('answers 404 for an email that does not exist', async () => {
    await request(t.app).get('/dev/mailbox/00000000-0000-4000-8000-000000000000').expect(404);
    await request(t.app).get('/dev/mailbox/not-an-id').expect(404);
    for (const id of [
      '00000000-0000-4000-8000-000000000000',
      'not-an-id',
      '..%2F..%2Fetc',
      "1'%20or%201=1",
    ]) {
      const res = await request(t.app).get(`/dev/mailbox/${id}/html`);
      expect([id, res.status]).toEqual([id, 404]);
      expect(res.headers['content-security-policy']).not.toContain('sandbox');
    }
  });

  it('does not exist in production', async () => {
    const production = await appWith(productionEnv, { db: t.db });
    await request(production.app).get('/dev/mailbox').expect(404);
    const [row] = await t.db('notification_outbox').limit(1).select('id');
    await request(production.app).get(`/dev/mailbox/${row.id}`).expect(404);
    await request(production.app).get(`/dev/mailbox/${row.id}/html`).expect(404);
  });
});
