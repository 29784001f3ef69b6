import type { Knex } from 'knex';
import { deleteDraft } from '../drafts/draft-repository';
import type { Db } from '../db';
import type { AnswerValue, Calculation } from '../definitions/types';
import type { DefinitionSnapshot } from '../definitions/snapshot';
import { recordReceived } from '../metrics/rollup-repository';
import { generateReference } from './reference';
import { enqueue } from '../notifications/outbox';
import { attachUploads } from '../uploads/upload-repository';
import { ukDate } from '../clock';
import type { ApplicationSentData } from '../notifications/messages/application-sent';

export type NewSubmission = Readonly<{
  serviceSlug: string;
  definitionVersion: number;
  snapshot: DefinitionSnapshot;
  answers: Readonly<Record<string, AnswerValue>>;
  calculation?: Calculation;
  submissionToken: string;
  statusCheckEmail?: string;
  /** Flagged by the service's urgency rule: first in the staff queue. */
  urgent?: boolean;
  /** Where messages about it go (src/notifications/contact.ts); none given, none sent. */
  contactEmail?: string;
  /** The "application sent" message, written with the submission (the reference is added here). */
  applicationSent?: Omit<ApplicationSentData, 'reference'>;
  statusCheckPhone?: string;
  /** Files uploaded with it: attached in the same transaction, or nothing is sent (src/uploads). */
  uploads?: Readonly<{ journeyKey: string; ids: readonly string[] }>;
  /** The saved draft it came from, deleted in the same transaction: the answers are sent, the link is done. */
  draftId?: string;
  submittedAt: Date;
  /** 'YYYY-MM-DD': the processing target counted in working days from the day it was sent. */
  dueDate: string;
}>;

const UNIQUE_VIOLATION = '23505';
const MAX_REFERENCE_ATTEMPTS = 5;

const isReferenceCollision = (err: unknown) =>
  (err as { code?: string }).code === UNIQUE_VIOLATION &&
  /reference/.test((err as { constraint?: string; message?: string }).constraint ?? (err as Error).message);

/**
 * Store a submission, its `submitted` event and its confirmation email in one transaction, exactly once per submission token:
 * a second insert with the same token (double click, refresh, 20 parallel POSTs) does nothing and gets the
 * first one's reference. A reference collision is retried with a fresh reference.
 */
export async function insertSubmission(
  db: Db,
  submission: NewSubmission,
  newReference: () => string = generateReference,
): Promise<{ reference: string; created: boolean }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (trx) => {
        const inserted: { id: number; reference: string }[] = await trx('submission')
          .insert({
            reference: newReference(),
            service_slug: submission.serviceSlug,
            definition_version: submission.definitionVersion,
            definition_snapshot: JSON.stringify(submission.snapshot),
            answers: JSON.stringify(submission.answers),
            calculation: submission.calculation ? JSON.stringify(submission.calculation) : null,
            submission_token: submission.submissionToken,
            status_check_email: submission.statusCheckEmail ?? null,
            contact_email: submission.contactEmail ?? null,
            urgent: submission.urgent ?? false,
            status_check_phone: submission.statusCheckPhone ?? null,
            submitted_at: submission.submittedAt,
            due_date: submission.dueDate,
          })
          .onConflict('submission_token')
          .ignore()
          .returning(['id', 'reference']);
        const row = inserted[0];
        if (!row) {
          const existing = await findReferenceByToken(trx, submission.submissionToken);
          if (!existing) throw new Error('submission token conflicted but no submission has it');
          return { reference: existing, created: false };
        }
        if (submission.uploads) {
          await attachUploads(trx, row.id, submission.uploads.journeyKey, submission.uploads.ids);
        }
        await trx('submission_event').insert({
          submission_id: row.id,
          type: 'submitted',
          occurred_at: submission.submittedAt,
        });
        // The confirmation email, in the same transaction (src/notifications/outbox.ts).
        if (submission.contactEmail && submission.applicationSent) {
          await enqueue(trx, {
            template: 'application-sent',
            recipient: submission.contactEmail,
            submissionId: row.id,
            data: { ...submission.applicationSent, reference: row.reference },
            now: submission.submittedAt,
          });
        }
        if (submission.draftId) await deleteDraft(trx, submission.draftId);
        await recordReceived(trx, submission);
        return { reference: row.reference, created: true };
      });
    } catch (err) {
      if (attempt < MAX_REFERENCE_ATTEMPTS && isReferenceCollision(err)) continue;
      throw err;
    }
  }
}

export async function findReferenceByToken(
  db: Db | Knex.Transaction,
  token: string,
): Promise<string | undefined> {
  const row = await db('submission').where({ submission_token: token }).first('reference');
  return row?.reference;
}

export type StatusView = Readonly<{
  reference: string;
  serviceSlug: string;
  serviceTitle: string;
  status: string;
  submittedAt: Date;
  /** 'YYYY-MM-DD': when a decision is expected (the target, moved on by any wait for the citizen). */
  dueDate: string | null;
  decisionReason: string | null;
  events: readonly Readonly<{ type: string; occurredAt: Date }>[];
  messages: readonly Readonly<{
    direction: 'to-citizen' | 'from-citizen';
    body: string;
    createdAt: Date;
    /** Names of the files sent with it (a citizen's reply). */
    files: readonly string[];
  }>[];
}>;

/**
 * Whether the reference and the ownership proof (the applicant's own email address, lower-cased, or phone number
 * in E.164) belong to the same submission.
 */
export async function findStatus(
  db: Db,
  reference: string,
  proof: Readonly<{ email?: string; phone?: string }>,
): Promise<StatusView | undefined> {
  if (!proof.email && !proof.phone) return undefined;
  const row = await db('submission')
    .where({ reference })
    .andWhere((q) => {
      if (proof.email) q.orWhere({ status_check_email: proof.email });
      if (proof.phone) q.orWhere({ status_check_phone: proof.phone });
    })
    .first('reference');
  return row ? findStatusByReference(db, row.reference) : undefined;
}

/** The address our emails about this application go to (null once anonymised or when none was given). */
export async function findContactEmail(db: Db, reference: string): Promise<string | undefined> {
  const row = await db('submission').where({ reference }).first('contact_email');
  return (row?.contact_email as string | null) ?? undefined;
}

/** What the citizen may see of their application: status, history, messages. Only after a proven status check. */
export async function findStatusByReference(db: Db, reference: string): Promise<StatusView | undefined> {
  const row = await db('submission')
    .where({ reference })
    .first(
      'id',
      'reference',
      'service_slug',
      'status',
      'submitted_at',
      'due_date',
      'decision_reason',
      db.raw(`definition_snapshot->>'title' as title`),
    );
  if (!row) return undefined;
  const [events, messages, files] = await Promise.all([
    db('submission_event')
      .where({ submission_id: row.id })
      .orderBy('occurred_at')
      .orderBy('id')
      .select('type', 'occurred_at'),
    db('submission_message')
      .where({ submission_id: row.id })
      .orderBy('created_at')
      .orderBy('id')
      .select('id', 'direction', 'body', 'created_at'),
    db('upload')
      .where({ submission_id: row.id })
      .whereNotNull('message_id')
      .orderBy('created_at')
      .select('message_id', 'file_name'),
  ]);
  return {
    reference: row.reference,
    serviceSlug: row.service_slug,
    serviceTitle: row.title,
    status: row.status,
    submittedAt: row.submitted_at,
    dueDate: row.due_date ?? null,
    decisionReason: row.decision_reason,
    events: events.map((e: { type: string; occurred_at: Date }) => ({
      type: e.type,
      occurredAt: e.occurred_at,
    })),
    messages: messages.map(
      (m: { id: number; direction: 'to-citizen' | 'from-citizen'; body: string; created_at: Date }) => ({
        direction: m.direction,
        body: m.body,
        createdAt: m.created_at,
        files: (files as { message_id: number; file_name: string }[])
          .filter((f) => Number(f.message_id) === Number(m.id))
          .map((f) => f.file_name),
      }),
    ),
  };
}

/** One line of a citizen's "your applications" page. */
export type ApplicationSummary = Readonly<{
  reference: string;
  serviceTitle: string;
  status: string;
  submittedAt: Date;
  dueDate: string | null;
  /** The newest message from staff, if any. */
  latestMessage: Readonly<{ body: string; createdAt: Date }> | null;
}>;

/** Whether the application was sent with this address (given for updates, or as the status check's proof). */
const sentWith = (email: string) => (q: Knex.QueryBuilder) =>
  q
    .whereRaw('lower(s.contact_email) = ?', [email.toLowerCase()])
    .orWhereRaw('lower(s.status_check_email) = ?', [email.toLowerCase()]);

/**
 * The applications sent with an address, newest first (at most `limit`): a signed-in citizen's list. An anonymised
 * application has no address left, so it is never listed.
 */
export async function applicationsFor(db: Db, email: string, limit: number): Promise<ApplicationSummary[]> {
  const rows: {
    reference: string;
    title: string;
    status: string;
    submitted_at: Date;
    due_date: string | null;
    message_body: string | null;
    message_at: Date | null;
  }[] = await db({ s: 'submission' })
    .where(sentWith(email))
    .leftJoin(
      db.raw(
        `lateral (select body, created_at from submission_message m
                   where m.submission_id = s.id and m.direction = 'to-citizen'
                   order by m.created_at desc, m.id desc limit 1) as latest on true`,
      ),
    )
    .orderBy('s.submitted_at', 'desc')
    .orderBy('s.id', 'desc')
    .limit(limit)
    .select(
      's.reference',
      db.raw(`s.definition_snapshot->>'title' as title`),
      's.status',
      's.submitted_at',
      's.due_date',
      'latest.body as message_body',
      'latest.created_at as message_at',
    );
  return rows.map((r) => ({
    reference: r.reference,
    serviceTitle: r.title,
    status: r.status,
    submittedAt: r.submitted_at,
    dueDate: r.due_date ?? null,
    latestMessage: r.message_body && r.message_at ? { body: r.message_body, createdAt: r.message_at } : null,
  }));
}

/** Whether the application with this reference was sent with this address. */
export async function wasSentWith(db: Db, reference: string, email: string): Promise<boolean> {
  const row = await db({ s: 'submission' })
    .where({ 's.reference': reference })
    .where(sentWith(email))
    .first('s.id');
  return row !== undefined;
}

/** Whether a sent application was flagged urgent by its service's urgency rule. */
export async function isUrgent(db: Db, reference: string): Promise<boolean> {
  const row = await db('submission').where({ reference }).first('urgent');
  return row?.urgent === true;
}

/** The most applications one "I have lost my reference" email lists (the newest). */
export const LOST_REFERENCE_MAX = 20;

/**
 * "I have lost my reference": one email listing the applications sent with this address (as the contact or the
 * status-check email, compared case-insensitively), newest first, at most LOST_REFERENCE_MAX. Nothing when there
 * are none. Returns whether a message was written. The row is tied to the oldest application it lists, so
 * retention deletes it with the first of them to be anonymised (anonymised ones have no address and never match).
 */
export async function enqueueLostReferences(db: Db, email: string, now: Date): Promise<boolean> {
  const address = email.toLowerCase();
  return db.transaction(async (trx) => {
    const rows: { id: number; reference: string; definition_snapshot: unknown; submitted_at: Date }[] =
      await trx('submission')
        .where((q) =>
          q
            .whereRaw('lower(contact_email) = ?', [address])
            .orWhereRaw('lower(status_check_email) = ?', [address]),
        )
        .orderBy('submitted_at', 'desc')
        .orderBy('id', 'desc')
        .limit(LOST_REFERENCE_MAX + 1)
        .select('id', 'reference', 'definition_snapshot', 'submitted_at');
    if (rows.length === 0) return false;
    const listed = rows.slice(0, LOST_REFERENCE_MAX);
    const snapshotOf = (r: (typeof rows)[number]) =>
      (typeof r.definition_snapshot === 'string'
        ? JSON.parse(r.definition_snapshot)
        : r.definition_snapshot) as DefinitionSnapshot;
    await enqueue(trx, {
      template: 'lost-reference',
      recipient: email,
      submissionId: listed[listed.length - 1]!.id,
      data: {
        applications: listed.map((r) => ({
          reference: r.reference,
          serviceTitle: snapshotOf(r).title,
          sentOn: ukDate(r.submitted_at),
        })),
        more: rows.length > LOST_REFERENCE_MAX,
      },
      now,
    });
    return true;
  });
}
