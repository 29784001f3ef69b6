import crypto from 'node:crypto';
import { AGENCIES } from '../../src/definitions/agencies';
import { appWith, type TestApp } from '../helpers/app';
import { csrfTokenIn, sendApplication, walkToCheckAnswers, type Agent } from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import { createStaffUser, signIn } from '../helpers/staff';
import { fixtureFor } from '../helpers/journey-fixtures';
import { maskAddress } from '../../src/staff/message-admin';
import type { JourneyPath } from '../fixtures/journeys/types';

// /staff/messages: the emails that could not be sent, for administrators only, each with "Try again".

const NOW = new Date('2026-11-30T10:00:00Z');
const clock = () => NOW;
const [pothole] = fixtureFor('report-a-pothole') as [JourneyPath];

let t: TestApp;
let admin: Agent;
let adminId: number;
let reference: string;

/** A dead message: the application's confirmation, given up on after its attempts. */
async function deadMessage(overrides: Record<string, unknown> = {}): Promise<string> {
  const id = crypto.randomUUID();
  const submission = await t.db('submission').where({ reference }).first('id');
  await t.db('notification_outbox').insert({
    id,
    template: 'application-sent',
    submission_id: submission.id,
    recipient: 'Jo.Bloggs@example.com',
    data: JSON.stringify({ reference }),
    status: 'dead',
    attempts: 10,
    next_attempt_at: NOW,
    last_error: 'EENVELOPE 550',
    created_at: new Date('2026-11-30T09:15:00Z'),
    ...overrides,
  });
  return id;
}

async function retry(agent: Agent, id: string) {
  const page = await agent.get('/staff/messages');
  return agent
    .post(`/staff/messages/${id}/retry`)
    .type('form')
    .send({ _csrf: csrfTokenIn(page.text) });
}

const rowOf = (id: string) => t.db('notification_outbox').where({ id }).first();

beforeAll(async () => {
  t = await appWith({}, { clock });
  const agent = await walkToCheckAnswers(t.app, 'report-a-pothole', pothole);
  const sent = await sendApplication(agent, 'report-a-pothole');
  reference = sent.headers.location!.split('/').pop()!;
  const user = await createStaffUser(t.db, { role: 'admin' });
  adminId = user.id;
  admin = await signIn(t, user, { clock });
});
afterAll(() => t.close());

describe('emails that could not be sent', () => {
  it('shows an administrator the counts and each dead email, its address masked and its reference', async () => {
    const id = await deadMessage();
    const page = await admin.get('/staff/messages').expect(200);
    const $ = parseHtml(page.text);
    expect($('h1').text()).toBe('Emails that could not be sent');
    expect($('.govuk-service-navigation__item--active').text().trim()).toBe('Emails not sent');
    const counts = $('#email-counts').text().replace(/\s+/g, ' ');
    expect(counts).toContain('Waiting to be sent 1'); // the application's own confirmation
    expect(counts).toContain('Could not be sent 1');
    const row = $(`tr[data-message-id="${id}"]`);
    const cells = row
      .find('th, td')
      .map((_i, c) => $(c).text().replace(/\s+/g, ' ').trim())
      .get();
    expect(cells.slice(0, 6)).toEqual([
      'Application received',
      '30 November 2026 at 09:15',
      'J•••@example.com',
      `${reference.slice(0, 4)}-${reference.slice(4, 8)}-${reference.slice(8)}`,
      '10',
      'EENVELOPE 550',
    ]);
    expect(page.text).not.toContain('Jo.Bloggs');
    expect(row.find(`form[action="/staff/messages/${id}/retry"] button`).text()).toContain('Try again');
    // No link to the case: administrators do not see cases.
    expect($(`a[href*="${reference}"]`)).toHaveLength(0);
  });

  it('puts a dead email back in the queue as new, due now, and audits it', async () => {
    const id = await deadMessage();
    const res = await retry(admin, id);
    expect([res.status, res.headers.location]).toEqual([302, '/staff/messages']);
    expect(await rowOf(id)).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await rowOf(id)).next_attempt_at).toEqual(NOW);
    const audit = await t.db('audit_event').where({ action: 'message-retried', actor_id: adminId });
    expect(audit).toHaveLength(1);
    const details = typeof audit[0].details === 'string' ? JSON.parse(audit[0].details) : audit[0].details;
    expect(details).toEqual({ outboxId: id, template: 'application-sent' });

    const page = await admin.get('/staff/messages').expect(200);
    const $ = parseHtml(page.text);
    expect($('.govuk-notification-banner--success').text()).toContain(
      'The “Application received” email will be sent again',
    );
    expect($(`tr[data-message-id="${id}"]`)).toHaveLength(0);
  });

  it('changes nothing and says so when the email is no longer dead (tried again already, or sent)', async () => {
    const id = await deadMessage();
    await retry(admin, id);
    await t.db('notification_outbox').where({ id }).update({ attempts: 1 });
    const again = await retry(admin, id);
    expect([again.status, again.headers.location]).toEqual([302, '/staff/messages']);
    expect(await rowOf(id)).toMatchObject({ status: 'pending', attempts: 1 });
    const page = await admin.get('/staff/messages');
    expect(parseHtml(page.text)('.govuk-notification-banner').text()).toContain(
      'That email is no longer waiting for someone to try it again',
    );
    const sent = await deadMessage({ status: 'sent', sent_at: NOW });
    await retry(admin, sent);
    expect(await rowOf(sent)).toMatchObject({ status: 'sent' });
    expect(
      await t
        .db('audit_event')
        .where({ action: 'message-retried' })
        .whereRaw(`details->>'outboxId' = ?`, [sent]),
    ).toHaveLength(0);
  });

  it('answers 404 for an email that does not exist or an id that is not one, never a 500', async () => {
    for (const id of [
      '00000000-0000-4000-8000-000000000000',
      'not-an-id',
      "1'%20or%201=1",
      'x'.repeat(300),
    ]) {
      const res = await retry(admin, id);
      expect([id, res.status]).toEqual([id, 404]);
    }
  });

  it('refuses caseworkers and managers with the 403 page, and changes nothing', async () => {
    const id = await deadMessage();
    for (const role of ['caseworker', 'manager'] as const) {
      const user = await createStaffUser(t.db, { role, agencies: [AGENCIES.localCouncil.id] });
      const agent = await signIn(t, user, { clock });
      await agent.get('/staff/messages').expect(403);
      const queue = await agent.get('/staff');
      const res = await agent
        .post(`/staff/messages/${id}/retry`)
        .type('form')
        .send({ _csrf: csrfTokenIn(queue.text) });
      expect(res.status).toBe(403);
      expect(parseHtml(queue.text)('a[href="/staff/messages"]')).toHaveLength(0);
    }
    expect(await rowOf(id)).toMatchObject({ status: 'dead', attempts: 10 });
  });

  it('says so when no email is dead, and lists the newest 50 when there are more', async () => {
    await t.db('notification_outbox').where({ status: 'dead' }).delete();
    let $ = parseHtml((await admin.get('/staff/messages').expect(200)).text);
    expect($('#no-dead-messages').text()).toBe('There are no emails that could not be sent.');
    expect($('#dead-messages')).toHaveLength(0);

    for (let i = 0; i < 52; i++) {
      await deadMessage({ created_at: new Date(NOW.getTime() - (52 - i) * 60_000) });
    }
    $ = parseHtml((await admin.get('/staff/messages').expect(200)).text);
    expect($('#dead-messages tbody tr')).toHaveLength(50);
    expect($('#shown').text()).toContain('The newest 50 of 52');
    expect($('#dead-messages tbody tr td').eq(0).text()).toBe('30 November 2026 at 09:59');
  });
});

describe('masking an address for administrators', () => {
  it.each([
    ['jo@example.com', 'j•••@example.com'],
    ['a@b.example', 'a•••@b.example'],
    ['😀x@example.com', '😀•••@example.com'],
    ['no-at-sign', '•••'],
    ['@example.com', '•••'],
  ])('shows %j as %j', (address, masked) => {
    expect(maskAddress(address)).toBe(masked);
  });
});
