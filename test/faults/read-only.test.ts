import type { Client } from 'pg';
import { firstQuestionPath, request, send, startCitizenSession, walkToCheckAnswers } from './http';
import { startLoad, type Target } from './load';
import { checkInvariants } from './invariants';
import { startServer } from './server';
import { useFileCluster } from './file-cluster';

// docs/security.md#f8 (and #rel9): the database turns read-only under the running production build, as after a
// failover to a standby: `ALTER SYSTEM SET default_transaction_read_only = on` and a reload on a private cluster.
// Pages keep answering 200, every send answers the 503 "try later" page with Retry-After and stores nothing, the
// answers stay in the session; after the revert, sending the same form again stores it exactly once.

const CITIZENS = 4;
const READ_LOAD_MS = 4_000;

const file = useFileCluster();

/** Switch the whole server's default, as a failover or an operator would, and wait until sessions see it. */
async function setServerReadOnly(db: Client, on: boolean) {
  // ALTER SYSTEM is allowed in a read-only session, but this session's own default must not stop the revert.
  await db.query('set default_transaction_read_only = off');
  await db.query(
    on
      ? 'alter system set default_transaction_read_only = on'
      : 'alter system reset default_transaction_read_only',
  );
  await db.query('select pg_reload_conf()');
  await db.query('reset default_transaction_read_only');
  const started = Date.now();
  for (;;) {
    const probe = await file.cluster.connect('portal');
    const { rows } = await probe.query<{ ro: string }>(
      `select current_setting('default_transaction_read_only') as ro`,
    );
    await probe.end();
    if (rows[0]!.ro === (on ? 'on' : 'off')) return;
    if (Date.now() - started > 10_000) throw new Error('the reload did not take effect within 10 s');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const storedFor = async (db: Client, tokens: string[]) =>
  (
    await db.query<{ submission_token: string; reference: string }>(
      'select submission_token, reference from submission where submission_token = any($1::uuid[])',
      [tokens],
    )
  ).rows;

describe('F8: the database turns read-only under the production server', () => {
  it('serves pages, answers every send with 503 and Retry-After, keeps the answers, and stores each form once after the revert', async () => {
    const { cluster, loads } = file;
    const server = file.started(await startServer(cluster.url('portal')));
    const admin = await cluster.connect('portal');
    file.atEnd(() => admin.end());
    const forms = await Promise.all(Array.from({ length: CITIZENS }, () => walkToCheckAnswers(server.base)));
    const tokens = forms.map((f) => f.submissionToken);
    const readers = await Promise.all([1, 2].map(() => startCitizenSession(server.base)));
    const reads: Target[] = [
      ...readers.map((s) => ({ name: 'question page', path: firstQuestionPath(), cookie: s.cookie })),
      ...forms.map((f) => ({
        name: 'check answers',
        path: '/services/register-a-vehicle/check-answers',
        cookie: f.cookie,
      })),
      { name: 'home', path: '/' },
      { name: 'start page', path: '/services/register-a-vehicle' },
      { name: 'check status', path: '/check-status' },
      { name: 'performance', path: '/performance' },
      { name: 'ready', path: '/health/ready' },
    ];

    await setServerReadOnly(admin, true);
    const load = startLoad(server.base, {
      concurrency: 4,
      maxDurationMs: READ_LOAD_MS + 10_000,
      targets: reads,
    });
    loads.push(load);

    // Every citizen sends, twice (the second is refused before it reaches the database).
    const refused = [];
    for (const form of forms) refused.push(await send(server.base, form), await send(server.base, form));
    await new Promise((r) => setTimeout(r, READ_LOAD_MS));
    const readSamples = await load.stop();

    for (const r of refused) {
      expect(r.status).toBe(503);
      expect(r.retryAfter).toMatch(/^\d+$/);
    }
    const page = await request(server.base, '/services/register-a-vehicle/check-answers', {
      method: 'POST',
      cookie: forms[0]!.cookie,
      body: new URLSearchParams({ _csrf: forms[0]!.csrf, submissionToken: tokens[0]! }).toString(),
    });
    expect(page.res.status).toBe(503);
    expect(page.text).toContain('Sorry, you cannot send or change anything at the moment');
    expect(await storedFor(admin, tokens)).toEqual([]);

    // Reads: every one a 200 (none a 503: the database still answers them), and no 500s.
    checkInvariants('F8 read-only database', readSamples, { server, cluster });
    const notOk = readSamples.filter((s) => s.status !== 200);
    expect(notOk.map((s) => `${s.target} ${s.status}`)).toEqual([]);
    // The answers are still in each session: check answers still shows the form, with the same token.
    for (const form of forms) {
      const check = await request(server.base, '/services/register-a-vehicle/check-answers', {
        cookie: form.cookie,
      });
      expect(check.res.status).toBe(200);
      expect(check.text).toContain(form.submissionToken);
    }

    await setServerReadOnly(admin, false);
    const references: string[] = [];
    for (const form of forms) {
      const first = await send(server.base, form);
      expect(first.status).toBe(303);
      const again = await send(server.base, form); // a double click after the revert: the same reference
      expect(again.location).toBe(first.location);
      references.push(first.location.split('/').pop()!);
    }
    const stored = await storedFor(admin, tokens);
    expect(stored.map((r) => r.reference).sort()).toEqual([...references].sort());
    expect(new Set(stored.map((r) => r.submission_token)).size).toBe(CITIZENS);
    const { rows: events } = await admin.query<{ n: number }>(
      `select count(*)::int as n from submission_event e join submission s on s.id = e.submission_id
       where e.type = 'submitted' and s.submission_token = any($1::uuid[])`,
      [tokens],
    );
    expect(events[0]!.n).toBe(CITIZENS);
    expect(server.alive()).toBe(true);
  });
});
