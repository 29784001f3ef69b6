import crypto from 'node:crypto';
import request from 'supertest';
import { createLogger } from '../../src/middleware/logging';
import { claimBatch } from '../../src/notifications/outbox';
import { renderSettingsFor } from '../../src/notifications';
import { createOutboxWorker, type OutboxWorker } from '../../src/notifications/worker';
import type { Envelope, Transport } from '../../src/notifications/transport';
import { appWith, type TestApp } from '../helpers/app';
import { sendApplication, walkToCheckAnswers } from '../helpers/journey';
import { fixtureFor } from '../helpers/journey-fixtures';
import type { JourneyPath } from '../fixtures/journeys/types';

// The worker's per-recipient limit (MAIL_PER_RECIPIENT_PER_HOUR): at most 10 messages to one address in any hour.
// Those over it wait, neither dropped nor charged an attempt.

const START = new Date('2026-11-30T10:00:00Z');
const HOUR = 60 * 60 * 1000;
let now = START;
const clock = () => now;
const TOKEN = 'metrics-token-for-tests-0123456789abcdef';
const [pothole] = fixtureFor('report-a-pothole') as [JourneyPath];

let t: TestApp;
let template: Record<string, unknown>;
const sent: Envelope[] = [];
const logs: string[] = [];
const transport: Transport = {
  kind: 'mailbox',
  send: async (envelope) => void sent.push(envelope),
  close: () => {},
};

function worker(perRecipientPerHour = 10): OutboxWorker {
  return createOutboxWorker({
    db: t.db,
    transport,
    logger: createLogger(
      { ...t.config, logLevel: 'info' },
      { write: (line: string) => void logs.push(line) },
    ),
    clock,
    settings: {
      ...renderSettingsFor(t.config),
      from: t.config.notifications.from,
      maxAttempts: 10,
      retryBaseMs: 1000,
      pollMs: 20,
      perRecipientPerHour,
    },
  });
}

let written = 0;
/** `count` copies of a real confirmation email, to `recipient`, each written a second after the one before. */
async function enqueue(recipient: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = crypto.randomUUID();
    ids.push(id);
    await t.db('notification_outbox').insert({
      ...template,
      id,
      recipient,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      created_at: new Date(START.getTime() - 24 * HOUR + written++ * 1000),
    });
  }
  return ids;
}

const rows = (ids: string[]) =>
  t.db('notification_outbox').whereIn('id', ids).orderBy('created_at').select('*');

beforeAll(async () => {
  t = await appWith({ METRICS_TOKEN: TOKEN }, { clock });
  const agent = await walkToCheckAnswers(t.app, 'report-a-pothole', pothole);
  await sendApplication(agent, 'report-a-pothole');
  const row = await t.db('notification_outbox').first('*');
  template = { ...row, data: JSON.stringify(row.data) };
});
beforeEach(async () => {
  await t.db('notification_outbox').delete();
  sent.length = 0;
  logs.length = 0;
  now = START;
});
afterAll(() => t.close());

describe('at most MAIL_PER_RECIPIENT_PER_HOUR messages to one address in any hour', () => {
  it('sends 10 of 12 messages to one address, defers 2 without using an attempt, and sends them an hour later', async () => {
    // The same address, however it was typed.
    const ids = [
      ...(await enqueue('kim.nguyen@example.com', 6)),
      ...(await enqueue('Kim.Nguyen@Example.COM', 6)),
    ];
    const other = await enqueue('sam.taylor@example.com', 3);
    const w = worker();
    for (let i = 0; i < 4; i++) await w.runOnce();

    expect(sent.filter((e) => e.to.toLowerCase() === 'kim.nguyen@example.com')).toHaveLength(10);
    expect(sent.filter((e) => e.to === 'sam.taylor@example.com')).toHaveLength(3);
    let kim = await rows(ids);
    expect(kim.filter((r) => r.status === 'sent')).toHaveLength(10);
    const waiting = kim.filter((r) => r.status === 'pending');
    expect(waiting.map((r) => [r.attempts, r.deferrals, new Date(r.next_attempt_at).toISOString()])).toEqual([
      [0, 1, new Date(START.getTime() + HOUR).toISOString()],
      [0, 1, new Date(START.getTime() + HOUR).toISOString()],
    ]);
    expect((await rows(other)).map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);

    // Logged without the address.
    const deferredLines = logs.filter((l) => l.includes('notification deferred'));
    expect(deferredLines).toHaveLength(2);
    expect(logs.join('\n').toLowerCase()).not.toContain('kim.nguyen');
    expect(deferredLines[0]).toContain(waiting[0]!.id);

    // Counted for operators, by template only.
    const metrics = await request(t.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    expect(metrics.text).toContain('# TYPE portal_notifications_deferred_total counter');
    expect(metrics.text).toContain('portal_notifications_deferred_total{template="application-sent"} 2');
    expect(metrics.text).not.toMatch(/@example/);

    // Still within the hour: nothing more goes.
    now = new Date(START.getTime() + HOUR - 1000);
    expect(await w.runOnce()).toBe(0);
    expect(sent).toHaveLength(13);

    now = new Date(START.getTime() + HOUR);
    expect(await w.runOnce()).toBe(2);
    kim = await rows(ids);
    expect(kim.map((r) => r.status)).toEqual(Array(12).fill('sent'));
    expect(kim.map((r) => r.attempts)).toEqual(Array(12).fill(1));
    expect(sent).toHaveLength(15);
  });

  it('counts messages another worker holds right now, and puts each one over off until a place frees', async () => {
    const ids = await enqueue('jo@example.com', 5);
    // Three sent 50, 40 and 30 minutes ago; one in another worker's hands now.
    const [a, b, c, held] = ids;
    for (const [id, minutesAgo] of [
      [a, 50],
      [b, 40],
      [c, 30],
    ] as const) {
      await t
        .db('notification_outbox')
        .where({ id })
        .update({ status: 'sent', attempts: 1, sent_at: new Date(now.getTime() - minutesAgo * 60_000) });
    }
    await t
      .db('notification_outbox')
      .where({ id: held })
      .update({
        attempts: 1,
        next_attempt_at: new Date(now.getTime() + 120_000),
        claimed_until: new Date(now.getTime() + 120_000),
      });
    const more = await enqueue('JO@example.com', 3);
    const batch = await claimBatch(t.db, { now, limit: 10, leaseMs: 120_000, perRecipientPerHour: 5 });
    // 3 sent + 1 held = 4 of 5 places: the 5th message goes, the rest wait for the oldest sends to leave the hour.
    expect(batch.claimed.map((r) => r.id)).toEqual([ids[4]]);
    expect(batch.deferred.map((d) => [d.id, d.until.toISOString()])).toEqual([
      [more[0], new Date(now.getTime() + 10 * 60_000).toISOString()],
      [more[1], new Date(now.getTime() + 20 * 60_000).toISOString()],
      [more[2], new Date(now.getTime() + 30 * 60_000).toISOString()],
    ]);
  });

  it('lets four workers claiming at once send no more than the limit between them', async () => {
    const ids = await enqueue('lee@example.com', 20);
    // On PostgreSQL, connections open first, so the claims really overlap (the embedded database runs one at a time).
    await Promise.all([0, 1, 2, 3].map(() => t.db.raw('select pg_sleep(0.05)')));
    const claims = await Promise.all(
      [0, 1, 2, 3].map(() => claimBatch(t.db, { now, limit: 5, leaseMs: 120_000, perRecipientPerHour: 10 })),
    );
    const claimed = claims.flatMap((c) => c.claimed.map((r) => r.id));
    expect(claimed).toHaveLength(10);
    expect(new Set(claimed).size).toBe(10);
    expect(claims.flatMap((c) => c.deferred)).toHaveLength(10);
    expect((await rows(ids)).filter((r) => r.attempts > 0)).toHaveLength(10);
  });

  it('has no limit when it is 0', async () => {
    await enqueue('many@example.com', 25);
    const w = worker(0);
    for (let i = 0; i < 3; i++) await w.runOnce();
    expect(sent).toHaveLength(25);
  });
});
