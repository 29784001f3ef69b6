import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { syncServices } from '../../src/catalogue/service-repository';
import { createDb, type Db } from '../../src/db';
import { snapshotDefinition } from '../../src/definitions/snapshot';
import { migrateToLatest } from '../../src/migrate';
import { insertSubmission } from '../../src/submissions/submission-repository';
import { shippedServices } from '../helpers/app';
import { runTs } from '../helpers/child-process';
import { createTestDb, driverName, type TestDb } from '../helpers/db';

// `npm run retention` end to end: the CLI in a child process (tsx, as test/server.test.ts runs the server) on the
// database the suite uses: a file-backed embedded database (the CLI opens it after the test has closed it), or a
// fresh database on the PostgreSQL server named by DATABASE_URL.
const VEHICLE = 'register-a-vehicle';
const NAME = `Ottoline Retainer ${crypto.randomBytes(4).toString('hex')}`;
const EMAIL = `ottoline.${crypto.randomBytes(4).toString('hex')}@retention.example.com`;
const COMMENT = `Lovely staff ${crypto.randomBytes(4).toString('hex')}`;

describe(`npm run retention (${driverName()})`, () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-retention-'));
  let server: TestDb | undefined;

  /** The database as the CLI sees it; on the embedded database the test closes it before each run. */
  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };
    delete e.RETENTION_MONTHS;
    Object.assign(e, extra);
    if (server) e.DATABASE_URL = server.url;
    else {
      delete e.DATABASE_URL;
      e.DATA_DIR = dataDir;
    }
    return e;
  };
  const open = (): Db =>
    server
      ? server.db
      : createDb({ kind: 'pglite', dataDir, acquireTimeoutMs: 5000, statementTimeoutMs: 15000 });
  const close = async (db: Db) => {
    if (!server) await db.destroy();
  };
  async function withDb<T>(work: (db: Db) => Promise<T>): Promise<T> {
    const db = open();
    try {
      return await work(db);
    } finally {
      await close(db);
    }
  }
  const run = async (args: string[], extra: Record<string, string> = {}) => {
    const child = runTs('src/cli/retention.ts', env(extra), args);
    // 'close' comes after the last output; 'exit' may come before it.
    const closed = new Promise((resolve) => child.proc.on('close', resolve));
    const code = await child.exited;
    await closed;
    return { code, output: child.output() };
  };

  beforeAll(async () => {
    if (process.env.DATABASE_URL) server = await createTestDb();
    await withDb(async (db) => {
      await migrateToLatest(db);
      const services = shippedServices().services;
      await syncServices(db, services);
      const service = services.find((s) => s.slug === VEHICLE)!;
      for (const [decidedAt, status] of [
        ['2020-01-10T14:00:00Z', 'approved'],
        ['2020-01-10T14:00:00Z', 'in-review'],
      ] as const) {
        const { reference } = await insertSubmission(db, {
          serviceSlug: VEHICLE,
          definitionVersion: service.version,
          snapshot: snapshotDefinition(service),
          answers: { keeperName: NAME, contactEmail: EMAIL },
          submissionToken: crypto.randomUUID(),
          statusCheckEmail: EMAIL,
          submittedAt: new Date('2020-01-06T09:00:00Z'),
          dueDate: '2020-01-20',
        });
        await db('submission')
          .where({ reference })
          .update({ status, decided_at: status === 'approved' ? decidedAt : null });
      }
      await db('survey_response').insert({
        service_slug: VEHICLE,
        rating: 5,
        comment: COMMENT,
        created_at: '2020-01-06T10:00:00Z',
      });
    });
  }, 60_000);
  afterAll(async () => {
    await server?.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const state = () =>
    withDb(async (db) => ({
      submissions: await db('submission')
        .orderBy('id')
        .select('status', 'answers', 'status_check_email', 'anonymised_at'),
      comments: await db('survey_response').pluck('comment'),
      audit: await db('audit_event').select('action', 'details'),
    }));

  it('counts in a dry run and changes nothing, with the period from RETENTION_MONTHS', async () => {
    const before = await state();
    const { code, output } = await run(['--dry-run'], { RETENTION_MONTHS: '30' });
    expect(code).toBe(0);
    expect(output.trim()).toMatch(
      /^Dry run: would anonymise 1 application decided before \d{4}-\d{2}-\d{2} \(30-month retention\) and delete 0 notes, 0 messages, 0 uploaded files, 0 files from applications never sent, 0 expired saved applications, 0 expired sign-in links, 1 survey comment; nothing was changed\.$/,
    );
    expect(await state()).toEqual(before);
  }, 90_000);

  it('takes the period from --months over RETENTION_MONTHS', async () => {
    // Decided in January 2020: inside a 1200-month period.
    const longer = await run(['--months', '1200', '--dry-run'], { RETENTION_MONTHS: '30' });
    expect(longer.code).toBe(0);
    expect(longer.output.trim()).toMatch(
      /^Dry run: would anonymise 0 applications decided before \d{4}-\d{2}-\d{2} \(1200-month retention\) and delete 0 notes, 0 messages, 0 uploaded files, 0 files from applications never sent, 0 expired saved applications, 0 expired sign-in links, 0 survey comments; nothing was changed\.$/,
    );
  }, 90_000);

  it('anonymises old decided applications, prints one line without personal data, and reports 0 the next time', async () => {
    const first = await run([]);
    expect(first.code).toBe(0);
    expect(first.output.trim()).toMatch(
      /^Anonymised 1 application decided before \d{4}-\d{2}-\d{2} \(24-month retention\) and deleted 0 notes, 0 messages, 0 uploaded files, 0 files from applications never sent, 0 expired saved applications, 0 expired sign-in links, 1 survey comment\.$/,
    );
    for (const s of [NAME, EMAIL, COMMENT]) expect(first.output).not.toContain(s);
    const after = await state();
    expect(after.submissions).toEqual([
      { status: 'approved', answers: {}, status_check_email: null, anonymised_at: expect.any(Date) },
      {
        status: 'in-review',
        answers: { keeperName: NAME, contactEmail: EMAIL },
        status_check_email: EMAIL,
        anonymised_at: null,
      },
    ]);
    expect(after.comments).toEqual([null]);
    expect(after.audit.map((a) => a.action).sort()).toEqual([
      'retention-anonymised',
      'retention-survey-comments-removed',
    ]);

    const second = await run([]);
    expect(second.code).toBe(0);
    expect(second.output).toContain('Anonymised 0 applications');
    expect(second.output).toContain('0 survey comments');
    expect(await state()).toEqual(after);
  }, 120_000);

  it('refuses arguments it does not understand', async () => {
    const { code, output } = await run(['--months', 'many']);
    expect(code).toBe(2);
    expect(output).toContain('Usage: retention [--dry-run] [--months N]');
  }, 90_000);
});
