import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Db } from '../db';
import { renderMessage, type MessageSource, type RenderedMessage } from './render';
import { reminder, type ReminderData } from './messages/reminder';
import { draftSaved, type DraftSavedData } from './messages/draft-saved';
import { DRAFT_LINK_PATH, draftTokenContext } from '../drafts/draft-link';
import type { SecretBox } from '../crypto/secret-box';
import { applicationSent, type ApplicationSentData } from './messages/application-sent';
import { informationRequested, type InformationRequestedData } from './messages/information-requested';
import { decision, type DecisionData } from './messages/decision';
import { lostReference, type LostReferenceData } from './messages/lost-reference';
import type { RenderContext } from './messages/common';
import { STATUS_LINK_PATH, type StatusLinkSigner } from './status-link';

// The transactional outbox (docs/adr/0001-notifications-outbox.md). enqueue() is called inside the transaction
// of the event that causes the message, so both are stored or neither is; the worker (worker.ts) delivers.

export type OutboxMessage =
  | Readonly<{ template: 'application-sent'; data: ApplicationSentData }>
  | Readonly<{ template: 'information-requested'; data: InformationRequestedData }>
  | Readonly<{ template: 'decision'; data: DecisionData }>
  | Readonly<{ template: 'lost-reference'; data: LostReferenceData }>
  | Readonly<{ template: 'reminder'; data: ReminderData }>
  | Readonly<{ template: 'draft-saved'; data: DraftSavedData }>;

export type Template = OutboxMessage['template'];
export const TEMPLATES: readonly Template[] = [
  'application-sent',
  'information-requested',
  'decision',
  'lost-reference',
  'reminder',
  'draft-saved',
];

export type OutboxRow = Readonly<{
  id: string;
  template: Template;
  submissionId: number | null;
  recipient: string;
  data: OutboxMessage['data'];
  status: 'pending' | 'sent' | 'dead';
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  deliveredVia: string | null;
  createdAt: Date;
  sentAt: Date | null;
}>;

/**
 * Write a message to the outbox, in the caller's transaction. Returns its id (also its Message-ID). It belongs to
 * an application or to a saved draft, and is deleted with it (retention).
 */
export async function enqueue(
  trx: Knex.Transaction,
  message: OutboxMessage &
    Readonly<{ recipient: string; now: Date } & ({ submissionId: number } | { draftId: string })>,
): Promise<string> {
  const id = crypto.randomUUID();
  await trx('notification_outbox').insert({
    id,
    template: message.template,
    submission_id: 'submissionId' in message ? message.submissionId : null,
    draft_id: 'draftId' in message ? message.draftId : null,
    recipient: message.recipient,
    data: JSON.stringify(message.data),
    status: 'pending',
    attempts: 0,
    next_attempt_at: message.now,
    created_at: message.now,
  });
  return id;
}

function sourceOf(row: Pick<OutboxRow, 'template' | 'data'>, context: RenderContext): MessageSource {
  switch (row.template) {
    case 'application-sent':
      return applicationSent(row.data as ApplicationSentData, context);
    case 'information-requested':
      return informationRequested(row.data as InformationRequestedData, context);
    case 'decision':
      return decision(row.data as DecisionData, context);
    case 'lost-reference':
      return lostReference(row.data as LostReferenceData, context);
    case 'reminder':
      return reminder(row.data as ReminderData, context);
    case 'draft-saved':
      return draftSaved(row.data as DraftSavedData, context);
  }
}

/** What rendering needs besides the message: where links point, who signs them, whose name is at the bottom. */
export type RenderSettings = Readonly<{
  baseUrl: string;
  organisationName: string;
  statusLinks: StatusLinkSigner;
  statusLinkDays: number;
  /** Opens the sealed token in a saved draft's email (src/drafts/draft-link.ts). */
  draftLinks: SecretBox;
}>;

/**
 * The subject, plain text and HTML of a stored message. The same row always renders the same bytes (the signed
 * link's expiry counts from when the row was written), so a retry sends the same message.
 */
export function render(
  row: Pick<OutboxRow, 'template' | 'data' | 'recipient' | 'createdAt'>,
  settings: RenderSettings,
): RenderedMessage {
  const context: RenderContext = {
    baseUrl: settings.baseUrl,
    statusLinkDays: settings.statusLinkDays,
    draftLink: (draftId, sealed) => {
      const token = settings.draftLinks.open(sealed, draftTokenContext(draftId));
      return `${settings.baseUrl}${DRAFT_LINK_PATH}${token ? `/${token}` : ''}`;
    },
    statusPageLink: (reference) =>
      `${settings.baseUrl}${STATUS_LINK_PATH}/${settings.statusLinks.sign(reference, row.recipient, row.createdAt)}`,
  };
  const source = sourceOf(row, context);
  return renderMessage(source, settings);
}

const toRow = (r: Record<string, unknown>): OutboxRow => ({
  id: r.id as string,
  template: r.template as Template,
  submissionId: (r.submission_id as number | null) ?? null,
  recipient: r.recipient as string,
  data: (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as OutboxMessage['data'],
  status: r.status as OutboxRow['status'],
  attempts: r.attempts as number,
  nextAttemptAt: r.next_attempt_at as Date,
  lastError: (r.last_error as string | null) ?? null,
  deliveredVia: (r.delivered_via as string | null) ?? null,
  createdAt: r.created_at as Date,
  sentAt: (r.sent_at as Date | null) ?? null,
});

/**
 * Claim up to `limit` due messages for `leaseMs`: a short transaction that locks them (FOR UPDATE SKIP LOCKED,
 * so concurrent workers take different rows), counts the attempt and moves next_attempt_at past the lease. A
 * worker that dies mid-send leaves the row to be claimed again when the lease ends, with the same id.
 */
export async function claimDue(
  db: Db,
  options: Readonly<{ now: Date; limit: number; leaseMs: number }>,
): Promise<OutboxRow[]> {
  return db.transaction(async (trx) => {
    const due = await trx('notification_outbox')
      .where('status', 'pending')
      .where('next_attempt_at', '<=', options.now)
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(options.limit)
      .forUpdate()
      .skipLocked()
      .pluck('id');
    if (due.length === 0) return [];
    const rows = await trx('notification_outbox')
      .whereIn('id', due)
      .update({
        attempts: trx.raw('attempts + 1'),
        next_attempt_at: new Date(options.now.getTime() + options.leaseMs),
      })
      .returning('*');
    return rows.map(toRow).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  });
}

export async function markSent(db: Db, id: string, via: 'smtp' | 'mailbox', now: Date): Promise<void> {
  await db('notification_outbox')
    .where({ id, status: 'pending' })
    .update({ status: 'sent', sent_at: now, delivered_via: via, last_error: null });
}

/** A failed attempt: retried after `retryAt`, or dead (kept, for administrators) when attempts are used up. */
export async function markFailed(
  db: Db,
  id: string,
  outcome: Readonly<{ error: string; retryAt?: Date }>,
): Promise<void> {
  await db('notification_outbox')
    .where({ id, status: 'pending' })
    .update(
      outcome.retryAt
        ? { last_error: outcome.error.slice(0, 200), next_attempt_at: outcome.retryAt }
        : { last_error: outcome.error.slice(0, 200), status: 'dead' },
    );
}

/** The newest messages first, for the development mailbox. */
export async function listMessages(db: Db, limit = 100): Promise<OutboxRow[]> {
  const rows = await db('notification_outbox').orderBy('created_at', 'desc').orderBy('id').limit(limit);
  return rows.map(toRow);
}

export async function findMessage(db: Db, id: string): Promise<OutboxRow | undefined> {
  const row = await db('notification_outbox').where({ id }).first();
  return row ? toRow(row) : undefined;
}

/** Messages per status: what an operator watches (dead ones need a person). */
export async function countByStatus(db: Db): Promise<Record<OutboxRow['status'], number>> {
  const rows: { status: OutboxRow['status']; n: number }[] = await db('notification_outbox')
    .groupBy('status')
    .select('status', db.raw('count(*)::int as n'));
  const counts = { pending: 0, sent: 0, dead: 0 };
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}
