import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Db } from '../db';
import type { FileKind, UploadedFile } from '../definitions/types';

// The upload store: files in PostgreSQL (bytea) beside the application they belong to, so a backup, a retention
// run or a deletion covers them with it. Everything goes through these functions, so another store (an object
// store) would replace this one module.

// Ids are UUIDs; anything else (from a form or an address) names no file, and must not reach PostgreSQL, which
// would refuse it as an invalid uuid.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type NewUpload = Readonly<{
  journeyKey: string;
  /** Set for a file sent with a reply (it belongs to the application at once), with the reply's message. */
  submissionId?: number;
  messageId?: number;
  questionId: string;
  name: string;
  kind: FileKind;
  content: Buffer;
  now: Date;
}>;

export async function storeUpload(db: Db | Knex.Transaction, upload: NewUpload): Promise<UploadedFile> {
  const id = crypto.randomUUID();
  await db('upload').insert({
    id,
    journey_key: upload.journeyKey,
    submission_id: upload.submissionId ?? null,
    message_id: upload.messageId ?? null,
    question_id: upload.questionId,
    file_name: upload.name,
    kind: upload.kind,
    size_bytes: upload.content.length,
    sha256: crypto.createHash('sha256').update(upload.content).digest('hex'),
    content: upload.content,
    created_at: upload.now,
  });
  return { id, name: upload.name, size: upload.content.length, kind: upload.kind };
}

/** Files and bytes a journey has stored and not yet sent: its quota. */
export async function journeyUsage(db: Db, journeyKey: string): Promise<{ files: number; bytes: number }> {
  const row = (await db('upload')
    .where({ journey_key: journeyKey })
    .whereNull('submission_id')
    .first(db.raw('count(*)::int as files'), db.raw('coalesce(sum(size_bytes), 0)::bigint as bytes'))) as
    { files: number; bytes: number | string } | undefined;
  return { files: row?.files ?? 0, bytes: Number(row?.bytes ?? 0) };
}

/** A file removed before sending: only the journey that uploaded it can, and never once it was sent. */
export async function deleteUnsentUpload(db: Db, journeyKey: string, id: string): Promise<void> {
  if (!UUID.test(id)) return;
  await db('upload').where({ id, journey_key: journeyKey }).whereNull('submission_id').delete();
}

/**
 * Attach the journey's files named in the answers to the new submission, inside its transaction. Throws when any
 * is missing (deleted as abandoned, or not this journey's): the application is not sent without its evidence.
 */
export async function attachUploads(
  trx: Knex.Transaction,
  submissionId: number,
  journeyKey: string,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  const attached = (
    await trx('upload')
      .whereIn('id', ids)
      .where({ journey_key: journeyKey })
      .whereNull('submission_id')
      .update({ submission_id: submissionId })
      .returning('id')
  ).length;
  if (attached !== ids.length) throw new MissingUploadError(ids.length - attached);
}

export class MissingUploadError extends Error {
  override name = 'MissingUploadError';
  constructor(readonly missing: number) {
    super(`${missing} uploaded file(s) named in the answers are no longer stored for this journey`);
  }
}

export type AttachmentSummary = UploadedFile & Readonly<{ questionId: string; messageId: number | null }>;

/** The files sent with an application, for the case page (no content). */
export async function attachmentsOf(db: Db, submissionId: number): Promise<AttachmentSummary[]> {
  const rows: {
    id: string;
    file_name: string;
    kind: FileKind;
    size_bytes: number;
    question_id: string;
    message_id: number | null;
  }[] = await db('upload')
    .where({ submission_id: submissionId })
    .orderBy('created_at')
    .orderBy('id')
    .select('id', 'file_name', 'kind', 'size_bytes', 'question_id', 'message_id');
  return rows.map((r) => ({
    id: r.id,
    name: r.file_name,
    kind: r.kind,
    size: r.size_bytes,
    questionId: r.question_id,
    messageId: r.message_id === null ? null : Number(r.message_id),
  }));
}

export type Attachment = Readonly<{ name: string; kind: FileKind; content: Buffer }>;

/** One sent file with its content, only if it belongs to that submission. */
export async function findAttachment(
  db: Db,
  submissionId: number,
  id: string,
): Promise<Attachment | undefined> {
  if (!UUID.test(id)) return undefined;
  const row = (await db('upload')
    .where({ id, submission_id: submissionId })
    .first('file_name', 'kind', 'content')) as
    { file_name: string; kind: FileKind; content: Buffer } | undefined;
  return row && { name: row.file_name, kind: row.kind, content: row.content };
}

/** Files of journeys never sent, uploaded before `olderThan`. */
/** Files of journeys never sent, except those of a journey saved to come back to (src/drafts) while it is kept. */
const abandoned = (db: Db, olderThan: Date) =>
  db('upload')
    .whereNull('submission_id')
    .where('created_at', '<', olderThan)
    .whereNotIn('journey_key', db('draft').whereNotNull('upload_key').select('upload_key'));

/** How many files deleteAbandonedUploads would delete (a dry run). */
export async function countAbandonedUploads(db: Db, olderThan: Date): Promise<number> {
  const [row] = (await abandoned(db, olderThan).count({ n: '*' })) as { n: number | string }[];
  return Number(row?.n ?? 0);
}

/** Files of journeys never sent, older than any journey can last. Returns how many were deleted. */
export async function deleteAbandonedUploads(db: Db, olderThan: Date, batch = 500): Promise<number> {
  let total = 0;
  for (;;) {
    // Counted from RETURNING: the embedded driver reports no affected-row count for a delete.
    const deleted = (
      await db('upload')
        .whereIn('id', abandoned(db, olderThan).limit(batch).select('id'))
        .delete()
        .returning('id')
    ).length;
    total += deleted;
    if (deleted < batch) return total;
  }
}

/** Which of these files the journey still has stored and unsent. */
export async function unsentUploadIds(
  db: Db,
  journeyKey: string,
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const found: string[] = await db('upload')
    .whereIn('id', ids)
    .where({ journey_key: journeyKey })
    .whereNull('submission_id')
    .pluck('id');
  return new Set(found);
}
