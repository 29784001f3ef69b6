import crypto from 'node:crypto';
import { countAbandonedUploads, deleteAbandonedUploads } from '../uploads/upload-repository';
import { deleteExpiredDrafts } from '../drafts/draft-repository';
import { deleteExpiredSignInLinks } from '../sign-in/sign-in-repository';
import type { Knex } from 'knex';

// Data retention (docs/security.md#d2). An application decided more than the retention period ago keeps what the
// published figures and the case history are made of (its row, reference, service, status, timestamps, due date,
// paused time, events and the rollups) and loses everything a person wrote or can be identified by: the answers
// and any calculation from them, the postcode and email of the status check, the decision reason, the internal
// notes and the messages with the citizen. Survey comments older than the period go too; their ratings stay.
// Applications not yet decided are never touched, however old.
//
// Work goes in batches, each one transaction, with the rows locked FOR UPDATE SKIP LOCKED: several instances
// running the job at once share the work, and a case a caseworker holds locked at that moment is left for the next
// run. A run finds only what is not yet anonymised, so running it again changes nothing.

export const RETENTION_AUDIT_ACTION = 'retention-anonymised';
export const RETENTION_SURVEY_AUDIT_ACTION = 'retention-survey-comments-removed';
const DECIDED = ['approved', 'rejected'] as const;
const DEFAULT_BATCH_SIZE = 500;

export type RetentionOptions = Readonly<{
  now: Date;
  /** Whole months; applications decided before `now` minus this many months are anonymised. */
  retentionMonths: number;
  batchSize?: number;
  /** Count what would be done, change nothing. */
  dryRun?: boolean;
}>;

export type RetentionResult = Readonly<{
  dryRun: boolean;
  retentionMonths: number;
  /** Decisions and survey answers from before this moment are past the retention period. */
  cutoff: Date;
  /** Applications anonymised (or, in a dry run, that would be). */
  applications: number;
  notes: number;
  messages: number;
  /** Uploaded files (src/uploads) of the anonymised applications, deleted. */
  files: number;
  /** Files uploaded in journeys never sent, older than ABANDONED_UPLOAD_HOURS, deleted. */
  abandonedFiles: number;
  /** Saved drafts (src/drafts) past their expiry, deleted with their links and emails. */
  expiredDrafts: number;
  /** Links to sign in to "your applications" (src/sign-in) past their expiry, deleted with their emails. */
  expiredSignInLinks: number;
  surveyComments: number;
  /** Transactions that changed something (0 in a dry run). */
  batches: number;
}>;

/**
 * `now` minus `months` calendar months, at the same time of day (UTC). A day the earlier month does not have
 * becomes its last day: 24 months before 29 February 2028 is 28 February 2026.
 */
export function retentionCutoff(now: Date, months: number): Date {
  const totalMonths = now.getUTCFullYear() * 12 + now.getUTCMonth() - months;
  const year = Math.floor(totalMonths / 12);
  const month = totalMonths - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      year,
      month,
      Math.min(now.getUTCDate(), lastDay),
      now.getUTCHours(),
      now.getUTCMinutes(),
      now.getUTCSeconds(),
      now.getUTCMilliseconds(),
    ),
  );
}

function checkOptions(options: RetentionOptions): number {
  if (!Number.isInteger(options.retentionMonths) || options.retentionMonths < 1) {
    throw new RangeError('retentionMonths must be a whole number of months, at least 1');
  }
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be at least 1');
  return batchSize;
}

/** Decided applications past the cutoff and not yet anonymised (what the partial index covers). */
const dueApplications = (db: Knex | Knex.Transaction, cutoff: Date) =>
  db('submission').whereNull('anonymised_at').whereIn('status', DECIDED).where('decided_at', '<', cutoff);

const dueSurveyComments = (db: Knex | Knex.Transaction, cutoff: Date) =>
  db('survey_response').whereNotNull('comment').where('created_at', '<', cutoff);

const countOf = async (query: Knex.QueryBuilder): Promise<number> => {
  const [row] = (await query.count({ n: '*' })) as { n: number | string }[];
  return Number(row?.n ?? 0);
};

/**
 * Files uploaded in a journey that was never sent are deleted once no journey could still be using them: answers
 * live in the session, and no session lasts a day (src/middleware/session.ts).
 */
export const ABANDONED_UPLOAD_HOURS = 24;
const abandonedBefore = (now: Date) => new Date(now.getTime() - ABANDONED_UPLOAD_HOURS * 3_600_000);

/** Anonymise the applications and survey comments older than the retention period. */
export async function applyRetention(db: Knex, options: RetentionOptions): Promise<RetentionResult> {
  const batchSize = checkOptions(options);
  const cutoff = retentionCutoff(options.now, options.retentionMonths);
  const base = { retentionMonths: options.retentionMonths, cutoff };

  if (options.dryRun) {
    const due = dueApplications(db, cutoff).select('id');
    const [
      applications,
      notes,
      messages,
      files,
      surveyComments,
      abandonedFiles,
      expiredDrafts,
      expiredSignInLinks,
    ] = await Promise.all([
      countOf(dueApplications(db, cutoff)),
      countOf(db('submission_note').whereIn('submission_id', due.clone())),
      countOf(db('submission_message').whereIn('submission_id', due.clone())),
      countOf(db('upload').whereIn('submission_id', due.clone())),
      countOf(dueSurveyComments(db, cutoff)),
      countAbandonedUploads(db, abandonedBefore(options.now)),
      deleteExpiredDrafts(db, options.now, true),
      deleteExpiredSignInLinks(db, options.now, true),
    ]);
    return {
      ...base,
      dryRun: true,
      applications,
      notes,
      messages,
      files,
      abandonedFiles,
      expiredDrafts,
      expiredSignInLinks,
      surveyComments,
      batches: 0,
    };
  }

  // Groups this run's audit rows (request_id), so an auditor can see which run did what.
  const runId = `retention-${crypto.randomUUID()}`;
  const auditDetails = JSON.stringify({
    retentionMonths: options.retentionMonths,
    cutoff: cutoff.toISOString(),
  });
  let applications = 0;
  let notes = 0;
  let messages = 0;
  let files = 0;
  let surveyComments = 0;
  let batches = 0;

  for (;;) {
    const done = await db.transaction(async (trx) => {
      const locked: { id: number }[] = await dueApplications(trx, cutoff)
        .orderBy('decided_at')
        .orderBy('id')
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .select('id');
      if (locked.length === 0) return 0;
      // Re-checked in the update itself: only rows this transaction really anonymises count and get audited.
      const changed: { id: number }[] = await trx('submission')
        .whereIn(
          'id',
          locked.map((r) => r.id),
        )
        .whereNull('anonymised_at')
        .update({
          answers: '{}',
          calculation: null,
          status_check_postcode: null,
          status_check_email: null,
          contact_email: null,
          status_check_phone: null,
          decision_reason: null,
          anonymised_at: options.now,
          // A form opened before this (say, an assignment) is refused as out of date rather than applied.
          version: trx.raw('version + 1'),
        })
        .returning(['id']);
      const ids = changed.map((r) => r.id);
      if (ids.length > 0) {
        // Rows counted from RETURNING: the embedded driver reports no affected-row count for a delete.
        notes += (await trx('submission_note').whereIn('submission_id', ids).delete().returning('id')).length;
        messages += (await trx('submission_message').whereIn('submission_id', ids).delete().returning('id'))
          .length;
        files += (await trx('upload').whereIn('submission_id', ids).delete().returning('id')).length;
        // Its emails (address, answers) go too (src/notifications/outbox.ts).
        await trx('notification_outbox').whereIn('submission_id', ids).delete();
        // One audit row per application, in the format of recordAudit (src/staff/audit-repository.ts): ids,
        // the period and the cutoff only; never anything that was deleted.
        await trx('audit_event').insert(
          changed.map((r) => ({
            occurred_at: options.now,
            actor_id: null,
            actor_role: 'system',
            action: RETENTION_AUDIT_ACTION,
            submission_id: r.id,
            request_id: runId,
            details: auditDetails,
          })),
        );
        applications += ids.length;
        batches += 1;
      }
      return ids.length;
    });
    if (done === 0) break;
  }

  for (;;) {
    const removed = await db.transaction(async (trx) => {
      const rows: { id: number }[] = await trx('survey_response')
        .whereIn(
          'id',
          dueSurveyComments(trx, cutoff).orderBy('id').limit(batchSize).forUpdate().skipLocked().select('id'),
        )
        .whereNotNull('comment')
        .update({ comment: null })
        .returning(['id']);
      if (rows.length === 0) return 0;
      await trx('audit_event').insert({
        occurred_at: options.now,
        actor_role: 'system',
        action: RETENTION_SURVEY_AUDIT_ACTION,
        request_id: runId,
        details: JSON.stringify({
          surveyComments: rows.length,
          retentionMonths: options.retentionMonths,
          cutoff: cutoff.toISOString(),
        }),
      });
      surveyComments += rows.length;
      batches += 1;
      return rows.length;
    });
    if (removed === 0) break;
  }

  // Expired drafts first: their files are then abandoned like any journey's that was never sent.
  const expiredDrafts = await deleteExpiredDrafts(db, options.now);
  const abandonedFiles = await deleteAbandonedUploads(db, abandonedBefore(options.now));
  const expiredSignInLinks = await deleteExpiredSignInLinks(db, options.now);
  return {
    ...base,
    dryRun: false,
    applications,
    notes,
    messages,
    files,
    abandonedFiles,
    expiredDrafts,
    expiredSignInLinks,
    surveyComments,
    batches,
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The one-line summary the CLI prints: counts and dates only, never anything about a person. */
export function summariseRetention(result: RetentionResult): string {
  const before = `decided before ${result.cutoff.toISOString().slice(0, 10)} (${result.retentionMonths}-month retention)`;
  const parts = [
    `${plural(result.notes, 'note')}`,
    `${plural(result.messages, 'message')}`,
    `${plural(result.files, 'uploaded file')}`,
    `${plural(result.abandonedFiles, 'file')} from applications never sent`,
    `${plural(result.expiredDrafts, 'expired saved application')}`,
    `${plural(result.expiredSignInLinks, 'expired sign-in link')}`,
    `${plural(result.surveyComments, 'survey comment')}`,
  ].join(', ');
  return result.dryRun
    ? `Dry run: would anonymise ${plural(result.applications, 'application')} ${before} and delete ${parts}; nothing was changed.`
    : `Anonymised ${plural(result.applications, 'application')} ${before} and deleted ${parts}.`;
}
