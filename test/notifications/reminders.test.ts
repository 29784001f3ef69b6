import request from 'supertest';
import { AGENCIES } from '../../src/definitions/agencies';
import { createCalendar, loadBankHolidays } from '../../src/calendar/working-days';
import { renderSettingsFor } from '../../src/notifications';
import { render, type OutboxRow } from '../../src/notifications/outbox';
import { reminderIsDue, sendDueReminders } from '../../src/notifications/reminders';
import { appWith, type TestApp } from '../helpers/app';
import { csrfTokenIn, type Agent, sendPath } from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import { fixtureFor } from '../helpers/journey-fixtures';
import { createStaffUser, signIn, type TestStaffUser, caseAction } from '../helpers/staff';

// The one reminder when a request for more information has had no reply for the service's working days
// (src/notifications/reminders.ts), with an injected clock. 30 November 2026 is a Monday; 25 and 28 December 2026
// are bank holidays in England and Wales.

let now = new Date('2026-11-30T10:00:00Z');
const clock = () => now;
const at = (iso: string) => (now = new Date(iso));
const calendar = createCalendar('england-and-wales', loadBankHolidays('england-and-wales'));

let t: TestApp;
const staffOf: Record<string, TestStaffUser> = {};

const send = (slug: string): Promise<string> => sendPath(t.app, slug, fixtureFor(slug)[0]!);

async function act(staff: Agent, reference: string, action: string, fields: Record<string, string> = {}) {
  const res = await caseAction(staff, reference, action, fields);
  expect(res.status).toBe(303);
  return res;
}

/** A caseworker of the service's agency asks for more information, now. */
async function askForMore(reference: string, agency: string, message: string) {
  const staff = await signIn(t, staffOf[agency]!, { clock });
  await act(staff, reference, 'request-information', { message });
}

const remindersFor = (reference: string): Promise<OutboxRow[]> =>
  t
    .db('notification_outbox as o')
    .join('submission as s', 's.id', 'o.submission_id')
    .where({ 's.reference': reference, 'o.template': 'reminder' })
    .orderBy('o.created_at')
    .select('o.*')
    .then((rows) =>
      rows.map((r) => ({
        ...r,
        createdAt: r.created_at,
        data: typeof r.data === 'string' ? JSON.parse(r.data) : r.data,
      })),
    );

/** The citizen follows the signed link in an email and replies on the status page. */
async function replyThroughLink(emailText: string, reply: string) {
  const link = /http:\/\/localhost:3000(\/check-status\/link\/[A-Za-z0-9._-]+)/.exec(emailText)![1]!;
  const citizen = request.agent(t.app);
  await citizen.get(link).expect(303).expect('Location', '/check-status/your-application');
  const page = await citizen.get('/check-status/your-application').expect(200);
  await citizen
    .post('/check-status/your-application/reply')
    .type('form')
    .send({ _csrf: csrfTokenIn(page.text), reply })
    .expect(303);
  return page.text;
}

beforeAll(async () => {
  t = await appWith({}, { clock });
  for (const agency of [AGENCIES.vehicleLicensing.id, AGENCIES.taxAuthority.id]) {
    staffOf[agency] = await createStaffUser(t.db, { role: 'caseworker', agencies: [agency] });
  }
});
afterAll(async () => t.close());

describe('the reminder when the citizen has not replied', () => {
  it('counts working days by the calendar, leaving out weekends and bank holidays', () => {
    const asked = new Date('2026-12-21T10:00:00Z'); // a Monday
    // 22, 23, 24, 29 December: 4 working days by the 29th (25 and 28 are bank holidays)
    expect(reminderIsDue(calendar, asked, new Date('2026-12-29T09:00:00Z'), 5)).toBe(false);
    expect(reminderIsDue(calendar, asked, new Date('2026-12-30T09:00:00Z'), 5)).toBe(true);
    // Friday 4 December is 4 working days after Monday 30 November; Saturday and Sunday add none.
    const monday = new Date('2026-11-30T10:00:00Z');
    expect(reminderIsDue(calendar, monday, new Date('2026-12-06T23:00:00Z'), 5)).toBe(false);
    expect(reminderIsDue(calendar, monday, new Date('2026-12-07T00:30:00Z'), 5)).toBe(true);
  });

  it('sends one reminder after 10 working days without a reply, and the case history and the status page say so', async () => {
    at('2026-11-30T10:00:00Z');
    const reference = await send('register-a-vehicle');
    await askForMore(reference, AGENCIES.vehicleLicensing.id, 'Please send a photo of the V5C.');

    at('2026-12-11T16:00:00Z'); // Friday: 9 working days
    await sendDueReminders(t.db, calendar, now);
    expect(await remindersFor(reference)).toHaveLength(0);

    at('2026-12-14T10:00:00Z'); // Monday: 10 working days
    await sendDueReminders(t.db, calendar, now);
    const [reminder, ...more] = await remindersFor(reference);
    expect(more).toHaveLength(0);
    expect(reminder).toMatchObject({ status: 'pending', recipient: expect.stringContaining('@') });
    expect(reminder!.data).toMatchObject({
      request: 'Please send a photo of the V5C.',
      askedOn: '2026-11-30',
    });

    // Never a second one for the same request.
    at('2026-12-21T10:00:00Z');
    await sendDueReminders(t.db, calendar, now);
    expect(await remindersFor(reference)).toHaveLength(1);

    const message = render(reminder!, renderSettingsFor(t.config));
    const formatted = `${reference.slice(0, 4)}-${reference.slice(4, 8)}-${reference.slice(8)}`;
    expect(message.subject).toBe(`Reminder: more information needed: reference ${formatted}`);
    expect(message.text).toContain('On 30 November 2026 we asked you for more information');
    expect(message.text).toContain('Please send a photo of the V5C.');

    const staff = await signIn(t, staffOf[AGENCIES.vehicleLicensing.id]!, { clock });
    const casePage = await staff.get(`/staff/submissions/${reference}`).expect(200);
    expect(parseHtml(casePage.text)('body').text()).toContain(
      'Reminder emailed to the citizen (no reply yet)',
    );

    // The link in the reminder opens the status page; replying ends the wait.
    const statusPage = await replyThroughLink(message.text, 'Photo attached to my letter.');
    expect(parseHtml(statusPage)('main').text()).toContain('Reminder sent to you');
    const status = await t.db('submission').where({ reference }).first('status');
    expect(status.status).toBe('in-review');
  });

  it('reminds again only for a new request, after its own 10 working days', async () => {
    at('2026-11-30T10:00:00Z');
    const reference = await send('register-a-vehicle');
    await askForMore(reference, AGENCIES.vehicleLicensing.id, 'First question.');
    at('2026-12-14T10:00:00Z');
    await sendDueReminders(t.db, calendar, now);
    const [first] = await remindersFor(reference);
    await replyThroughLink(render(first!, renderSettingsFor(t.config)).text, 'First answer.');

    at('2026-12-15T10:00:00Z'); // Tuesday
    await askForMore(reference, AGENCIES.vehicleLicensing.id, 'Second question.');
    at('2026-12-30T10:00:00Z'); // 8 working days (25 and 28 December are bank holidays)
    await sendDueReminders(t.db, calendar, now);
    expect(await remindersFor(reference)).toHaveLength(1);
    at('2027-01-04T10:00:00Z'); // 10 working days (1 January is a bank holiday)
    await sendDueReminders(t.db, calendar, now);
    const reminders = await remindersFor(reference);
    expect(reminders).toHaveLength(2);
    expect(reminders[1]!.data).toMatchObject({ request: 'Second question.', askedOn: '2026-12-15' });
  });

  it('sends none once the citizen has replied', async () => {
    at('2026-11-30T10:00:00Z');
    const reference = await send('register-a-vehicle');
    await askForMore(reference, AGENCIES.vehicleLicensing.id, 'Which colour is the car?');
    const requested = await t
      .db('notification_outbox as o')
      .join('submission as s', 's.id', 'o.submission_id')
      .where({ 's.reference': reference, 'o.template': 'information-requested' })
      .first('o.*');
    at('2026-12-01T10:00:00Z');
    await replyThroughLink(
      render({ ...requested, createdAt: requested.created_at }, renderSettingsFor(t.config)).text,
      'Blue.',
    );
    at('2027-01-29T10:00:00Z');
    await sendDueReminders(t.db, calendar, now);
    expect(await remindersFor(reference)).toHaveLength(0);
  });

  it('waits for the service’s own period: 15 working days for a tax return', async () => {
    at('2026-11-30T10:00:00Z');
    const reference = await send('file-a-self-assessment-tax-return');
    await askForMore(reference, AGENCIES.taxAuthority.id, 'Please send your P60.');
    at('2026-12-14T10:00:00Z'); // 10 working days
    await sendDueReminders(t.db, calendar, now);
    expect(await remindersFor(reference)).toHaveLength(0);
    at('2026-12-21T10:00:00Z'); // 15 working days
    await sendDueReminders(t.db, calendar, now);
    expect(await remindersFor(reference)).toHaveLength(1);
  });

  it('writes one reminder when two workers look at the same moment', async () => {
    at('2026-11-30T10:00:00Z');
    const reference = await send('register-a-vehicle');
    await askForMore(reference, AGENCIES.vehicleLicensing.id, 'Please send the invoice.');
    at('2026-12-14T10:00:00Z');
    await Promise.all([
      sendDueReminders(t.db, calendar, now),
      sendDueReminders(t.db, calendar, now),
      sendDueReminders(t.db, calendar, now),
    ]);
    expect(await remindersFor(reference)).toHaveLength(1);
    const events = await t
      .db('submission_event as e')
      .join('submission as s', 's.id', 'e.submission_id')
      .where({ 's.reference': reference, 'e.type': 'reminder-sent' })
      .count({ n: '*' })
      .first();
    expect(Number(events?.n)).toBe(1);
  });
});
