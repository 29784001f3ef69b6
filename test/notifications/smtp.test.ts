import net from 'node:net';
import request from 'supertest';
import { AGENCIES } from '../../src/definitions/agencies';
import { createLogger } from '../../src/middleware/logging';
import { claimDue } from '../../src/notifications/outbox';
import { createSmtpTransport } from '../../src/notifications/transport';
import { createOutboxWorker, type OutboxWorker } from '../../src/notifications/worker';
import { renderSettingsFor } from '../../src/notifications';
import { appWith, type TestApp } from '../helpers/app';
import { csrfTokenIn, type Agent, sendPath } from '../helpers/journey';
import { createStaffUser, signIn, caseAction } from '../helpers/staff';
import { fixtureFor } from '../helpers/journey-fixtures';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp';
import type { JourneyPath } from '../fixtures/journeys/types';

// Notifications through a real SMTP server on 127.0.0.1 (smtp-server), including its failures: refusals, a line
// dropped after the message arrived, a server that never answers.

let now = new Date('2026-11-30T10:00:00Z');
const clock = () => now;
const later = (ms: number) => (now = new Date(now.getTime() + ms));
const [selfAssessment] = fixtureFor('file-a-self-assessment-tax-return') as [JourneyPath];
const [pothole] = fixtureFor('report-a-pothole') as [JourneyPath];
const TAX_AFTER_APPROVAL = 'Pay any tax you owe by 31 January.';
const formatted = (r: string) => `${r.slice(0, 4)}-${r.slice(4, 8)}-${r.slice(8)}`;

let t: TestApp;
let smtp: TestSmtpServer;

function workerOn(url: string, overrides: { maxAttempts?: number; greetingMs?: number } = {}): OutboxWorker {
  return createOutboxWorker({
    db: t.db,
    transport: createSmtpTransport(url, {
      connectionMs: 3000,
      greetingMs: overrides.greetingMs ?? 3000,
      socketMs: 5000,
    }),
    logger: createLogger(t.config),
    clock,
    settings: {
      ...renderSettingsFor(t.config),
      from: t.config.notifications.from,
      maxAttempts: overrides.maxAttempts ?? 10,
      retryBaseMs: 1000,
      pollMs: 20,
    },
  });
}

const send = (slug: string, path: JourneyPath): Promise<string> => sendPath(t.app, slug, path);

async function act(staff: Agent, reference: string, action: string, fields: Record<string, string> = {}) {
  const res = await caseAction(staff, reference, action, fields);
  expect(res.status).toBe(303);
  return res;
}

/** Run the worker until nothing is due, moving the clock past each retry. */
async function drain(worker: OutboxWorker) {
  for (let i = 0; i < 20; i++) {
    await worker.runOnce();
    const pending = await t.db('notification_outbox').where({ status: 'pending' }).count({ n: '*' }).first();
    if (Number(pending?.n) === 0) return;
    later(60 * 60 * 1000);
  }
  throw new Error('the outbox did not drain');
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await appWith({ SMTP_URL: smtp.url, MAIL_FROM: 'Portal <noreply@portal.example.gov.uk>' }, { clock });
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});
beforeEach(async () => {
  smtp.reset();
  await t.db('notification_outbox').delete();
});

describe('notifications through a real SMTP server', () => {
  it('delivers the confirmation, the request for information and the decision to the citizen', async () => {
    const caseworker = await createStaffUser(t.db, {
      role: 'caseworker',
      agencies: [AGENCIES.taxAuthority.id],
    });
    const staff = await signIn(t, caseworker, { clock });
    const reference = await send('file-a-self-assessment-tax-return', selfAssessment);
    await act(staff, reference, 'assign', { assignee: 'me' });
    await act(staff, reference, 'request-information', { message: 'Please send your P60.' });
    // Delivery is the worker's: nothing has reached the server yet.
    expect(smtp.received).toHaveLength(0);
    const worker = workerOn(smtp.url);
    expect(await worker.runOnce()).toBe(2);

    const ids = await t.db('notification_outbox').orderBy('created_at').orderBy('template').pluck('id');
    const [sent, requested] = smtp.delivered();
    for (const r of [sent!, requested!]) {
      expect(r.envelopeTo).toEqual(['sam.taylor@example.com']);
      expect(r.mail.to).toMatchObject({ text: 'sam.taylor@example.com' });
      expect(r.mail.from).toMatchObject({ text: '"Portal" <noreply@portal.example.gov.uk>' });
      expect(r.mail.text).toContain(formatted(reference));
    }
    expect(sent!.mail.subject).toBe(`Application received: reference ${formatted(reference)}`);
    expect(sent!.mail.messageId).toBe(`<${ids[0]}@portal.example.gov.uk>`);
    // Identifiers: the last 3 characters only, in the text and the HTML parts and anywhere in the raw bytes.
    expect(sent!.mail.text).toContain('*******890');
    expect(sent!.mail.text).toContain('******23A');
    expect(sent!.mail.html).toContain('*******890');
    expect(sent!.raw).not.toMatch(/2234567890|JG ?10 ?37 ?23 ?A/);
    expect(sent!.mail.text).toContain('Employment pay');

    expect(requested!.mail.subject).toBe(`More information needed: reference ${formatted(reference)}`);
    expect(requested!.mail.text).toContain('Please send your P60.');
    expect(requested!.mail.text).toContain('We stopped working on your application on 30 November 2026');

    // The signed link opens this application's status page in any browser, with no status check.
    const link = /http:\/\/localhost:3000(\/check-status\/link\/[A-Za-z0-9._-]+)/.exec(
      requested!.mail.text!,
    )![1]!;
    expect(requested!.mail.html).toContain(`href="http://localhost:3000${link}"`);
    expect(requested!.mail.text).toContain('The link works for 28 days.');
    const citizen = request.agent(t.app);
    await citizen.get(link).expect(303).expect('Location', '/check-status/your-application');

    const reply = await citizen.get('/check-status/your-application').expect(200);
    await citizen
      .post('/check-status/your-application/reply')
      .type('form')
      .send({ _csrf: csrfTokenIn(reply.text), reply: 'Attached.' })
      .expect(303);
    await act(staff, reference, 'approve');
    expect(await worker.runOnce()).toBe(1);
    const decision = smtp.delivered()[2]!;
    expect(decision.mail.subject).toBe(`Application approved: reference ${formatted(reference)}`);
    // What happens next, in the service's words as they stood when the citizen applied.
    expect(decision.mail.text).toContain('What happens next');
    expect(decision.mail.text).toContain(TAX_AFTER_APPROVAL);
    expect(decision.envelopeTo).toEqual(['sam.taylor@example.com']);
    expect(
      await t
        .db('notification_outbox')
        .where({ status: 'sent', delivered_via: 'smtp' })
        .count({ n: '*' })
        .first(),
    ).toEqual({ n: 3 });
  });

  it('delivers every message exactly once after the server refuses for a while, with the same Message-ID', async () => {
    const references = [await send('report-a-pothole', pothole), await send('report-a-pothole', pothole)];
    smtp.answer = (n) => (n <= 3 ? 'refuse' : 'accept');
    const worker = workerOn(smtp.url);
    await worker.runOnce();
    const failed = await t.db('notification_outbox').select('status', 'attempts', 'last_error', 'recipient');
    expect(failed).toHaveLength(2);
    for (const row of failed) {
      expect(row).toMatchObject({ status: 'pending', attempts: 1 });
      // A code, never the server's words or the address.
      expect(row.last_error).toMatch(/^[A-Z_]+ 451$/);
    }
    await drain(worker);

    const delivered = smtp.delivered();
    expect(delivered).toHaveLength(2);
    const ids = new Set(delivered.map((r) => r.mail.messageId));
    expect(ids.size).toBe(2);
    // Every refused attempt was one of these two messages, sent again under the same Message-ID.
    const refused = smtp.received.filter((r) => r.outcome === 'refused');
    expect(refused).toHaveLength(3);
    for (const r of refused) expect(ids.has(r.mail.messageId)).toBe(true);
    expect(delivered.map((r) => r.mail.text).join()).toContain(formatted(references[0]!));
    expect(delivered.map((r) => r.mail.text).join()).toContain(formatted(references[1]!));
    const rows = await t.db('notification_outbox').select('status', 'last_error');
    expect(rows).toEqual([
      { status: 'sent', last_error: null },
      { status: 'sent', last_error: null },
    ]);
  });

  it('sends the same message again, same Message-ID, when the line drops before the server confirms', async () => {
    await send('report-a-pothole', pothole);
    smtp.answer = (n) => (n === 1 ? 'drop' : 'accept');
    await drain(workerOn(smtp.url));
    expect(smtp.received.map((r) => r.outcome)).toEqual(['dropped', 'accepted']);
    expect(smtp.received[0]!.mail.messageId).toBe(smtp.received[1]!.mail.messageId);
    expect(smtp.received[0]!.mail.text).toBe(smtp.received[1]!.mail.text);
  });

  it('lets another worker send a message whose worker died after claiming it, once the claim runs out', async () => {
    await send('report-a-pothole', pothole);
    const [claimed] = await claimDue(t.db, { now, limit: 10, leaseMs: 2 * 60 * 1000 });
    expect(claimed).toBeDefined();
    // That worker is gone. Until its claim runs out nobody else takes the message.
    const worker = workerOn(smtp.url);
    expect(await worker.runOnce()).toBe(0);
    later(2 * 60 * 1000);
    expect(await worker.runOnce()).toBe(1);
    expect(smtp.delivered()).toHaveLength(1);
    expect(smtp.delivered()[0]!.mail.messageId).toBe(`<${claimed!.id}@portal.example.gov.uk>`);
  });

  it('gives up after the last attempt and keeps the message, marked dead, for an administrator', async () => {
    await send('report-a-pothole', pothole);
    smtp.answer = 'refuse';
    await drain(workerOn(smtp.url, { maxAttempts: 3 }));
    expect(smtp.received).toHaveLength(3);
    expect(await t.db('notification_outbox').first('status', 'attempts', 'last_error')).toEqual({
      status: 'dead',
      attempts: 3,
      last_error: expect.stringMatching(/ 451$/),
    });
  });

  it('answers the citizen at once while the mail server hangs, and retries the message later', async () => {
    // A server that accepts the connection and never says a word.
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `smtp://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
    const worker = workerOn(url, { greetingMs: 4000 });
    try {
      await send('report-a-pothole', pothole);
      worker.start();
      const waitFor = async (what: () => boolean) => {
        for (let i = 0; i < 200 && !what(); i++) await new Promise((r) => setTimeout(r, 10));
        expect(what()).toBe(true);
      };
      await waitFor(() => sockets.size === 1);

      // The worker is stuck talking to the server: a citizen sending an application is not held up by it.
      later(1000);
      const reference = await send('report-a-pothole', pothole);
      expect(sockets.size).toBe(1);
      expect(
        await t
          .db('submission as s')
          .join('notification_outbox as o', 'o.submission_id', 's.id')
          .where('s.reference', reference)
          .first('o.status'),
      ).toEqual({ status: 'pending' });
    } finally {
      await worker.stop();
      silent.close();
    }
    // The hung attempt failed on the greeting timeout and waits for its retry.
    const rows = await t
      .db('notification_outbox')
      .orderBy('created_at')
      .select('status', 'attempts', 'last_error');
    expect(rows[0]).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error: expect.stringMatching(/^E[A-Z]+$/),
    });
  });
});
