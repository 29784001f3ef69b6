import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Db } from '../db';
import { renderMessage, type MessageSource, type RenderedMessage } from './render';
import { reminder, type ReminderData } from './messages/reminder';
import { draftSaved, type DraftSavedData } from './messages/draft-saved';
import { signIn, type SignInData } from './messages/sign-in';
import { SIGN_IN_PATH, signInTokenContext } from '../sign-in/sign-in-link';
import { DRAFT_LINK_PATH, draftTokenContext } from '../drafts/draft-link';
import type { SecretBox } from '../crypto/secret-box';
import { applicationSent, type ApplicationSentData } from './messages/application-sent';
import { informationRequested, type InformationRequestedData } from './messages/information-requested';
import { decision, type DecisionData } from './messages/decision';
import { lostReference, type LostReferenceData } from './messages/lost-reference';
import { requestWithdrawn, type RequestWithdrawnData } from './messages/request-withdrawn';
import { citizenReplied, type CitizenRepliedData } from './messages/citizen-replied';
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
  | Readonly<{ template: 'request-withdrawn'; data: RequestWithdrawnData }>
  | Readonly<{ template: 'citizen-replied'; data: CitizenRepliedData }>
  | Readonly<{ template: 'draft-saved'; data: DraftSavedData }>
  | Readonly<{ template: 'sign-in'; data: SignInData }>;

export type Template = OutboxMessage['template'];
export const TEMPLATES: readonly Template[] = [
  'application-sent',
  'information-requested',
  'decision',
  'lost-reference',
  'reminder',
  'request-withdrawn',
  'citizen-replied',
  'draft-saved',
  'sign-in',
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
 * an application, a saved draft or a sign-in link, and is deleted with it (retention).
 */
export async function enqueue(
  trx: Knex.Transaction,
  message: OutboxMessage &
    Readonly<
      { recipient: string; now: Date } & (
        { submissionId: number } | { draftId: string } | { signInLinkId: string }
      )
    >,
): Promise<string> {
  const id = crypto.randomUUID();
  await trx('notification_outbox').insert({
    id,
    template: message.template,
    submission_id: 'submissionId' in message ? message.submissionId : null,
    draft_id: 'draftId' in message ? message.draftId : null,
    sign_in_link_id: 'signInLinkId' in message ? message.signInLinkId : null,
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
    case 'request-withdrawn':
      return requestWithdrawn(row.data as RequestWithdrawnData, context);
    case 'citizen-replied':
      return citizenReplied(row.data as CitizenRepliedData, context);
    case 'draft-saved':
      return draftSaved(row.data as DraftSavedData, context);
    case 'sign-in':
      return signIn(row.data as SignInData, context);
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
  /** Opens the sealed token in a sign-in email (src/sign-in/sign-in-link.ts). */
  signInLinks: SecretBox;
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
    signInLink: (linkId, sealed) => {
      const token = settings.signInLinks.open(sealed, signInTokenContext(linkId));
      return `${settings.baseUrl}${SIGN_IN_PATH}${token ? `/${token}` : ''}`;
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
  options: Readonly<{ now: Date; limit: number; leaseMs: number; perRecipientPerHour?: number }>,
): Promise<OutboxRow[]> {
  return (await claimBatch(db, options)).claimed;
}

/** A message the per-recipient limit put off: its attempt is not used, and it is due again at `until`. */
export type DeferredMessage = Readonly<{ id: string; template: Template; until: Date }>;

const HOUR_MS = 60 * 60 * 1000;
/** The first key of the advisory locks on one address (the second is its hash): 'mail' in ASCII. */
const RECIPIENT_LOCK_CLASS = 0x6d61696c;

/**
 * claimDue, with the per-recipient limit: at most `perRecipientPerHour` messages to one address (compared
 * case-insensitively) in any hour, counting those sent in the last hour and those other workers hold now. Due
 * messages over the limit are not claimed: they are put off until the hour allows, with their attempts untouched.
 * Workers claiming for the same address queue on a transaction-level advisory lock on it, so two claims never
 * both see room for the same last place. 0 or undefined: no limit.
 */
export async function claimBatch(
  db: Db,
  options: Readonly<{ now: Date; limit: number; leaseMs: number; perRecipientPerHour?: number }>,
): Promise<{ claimed: OutboxRow[]; deferred: DeferredMessage[] }> {
  const { now } = options;
  return db.transaction(async (trx) => {
    const due: { id: string; template: Template; address: string }[] = await trx('notification_outbox')
      .where('status', 'pending')
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .orderBy('created_at') // for one address, the oldest go first and the newest wait
      .orderBy('id')
      .limit(options.limit)
      .forUpdate()
      .skipLocked()
      .select('id', 'template', trx.raw('lower(recipient) as address'));
    if (due.length === 0) return { claimed: [], deferred: [] };

    const perHour = options.perRecipientPerHour ?? 0;
    const deferred: DeferredMessage[] = [];
    let allowed = due.map((d) => d.id);
    if (perHour > 0) {
      const byAddress = new Map<string, typeof due>();
      for (const d of due) byAddress.set(d.address, [...(byAddress.get(d.address) ?? []), d]);
      const addresses = [...byAddress.keys()].sort(); // always in the same order: no deadlock between workers
      for (const address of addresses) {
        await trx.raw('select pg_advisory_xact_lock(?, hashtext(?))', [RECIPIENT_LOCK_CLASS, address]);
      }
      // Read after the locks: what a worker that claimed for these addresses just before has committed.
      const busy: { address: string; sent_at: Date | null }[] = await trx('notification_outbox')
        .where((q) => {
          for (const address of addresses) q.orWhereRaw('lower(recipient) = ?', [address]);
        })
        .where((q) =>
          q
            .where((sent) =>
              sent.where('status', 'sent').where('sent_at', '>', new Date(now.getTime() - HOUR_MS)),
            )
            .orWhere((held) => held.where('status', 'pending').where('claimed_until', '>', now)),
        )
        .select(trx.raw('lower(recipient) as address'), 'sent_at');
      allowed = [];
      for (const address of addresses) {
        const messages = byAddress.get(address)!;
        // When each place in the hour was taken: messages sent, then those in hand (sent from now on).
        const taken = busy
          .filter((b) => b.address === address)
          .map((b) => (b.sent_at ? new Date(b.sent_at).getTime() : now.getTime()))
          .sort((a, b) => a - b);
        const room = Math.max(0, perHour - taken.length);
        allowed.push(...messages.slice(0, room).map((m) => m.id));
        messages.slice(room).forEach((m, j) => {
          // The places taken now, this claim's included; the j-th message over waits for the place that frees
          // j-th (or, past those, for the last one to free, and is looked at again then).
          const places = [...taken, ...Array<number>(Math.min(room, messages.length)).fill(now.getTime())];
          const k = Math.min(places.length - 1, places.length - perHour + j);
          deferred.push({ id: m.id, template: m.template, until: new Date(places[k]! + HOUR_MS) });
        });
      }
      for (const d of deferred) {
        await trx('notification_outbox')
          .where({ id: d.id })
          .update({ next_attempt_at: d.until, deferrals: trx.raw('deferrals + 1') });
      }
    }
    if (allowed.length === 0) return { claimed: [], deferred };
    const leaseEnds = new Date(now.getTime() + options.leaseMs);
    const rows = await trx('notification_outbox')
      .whereIn('id', allowed)
      .update({ attempts: trx.raw('attempts + 1'), next_attempt_at: leaseEnds, claimed_until: leaseEnds })
      .returning('*');
    return {
      claimed: rows.map(toRow).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()),
      deferred,
    };
  });
}

export async function markSent(db: Db, id: string, via: 'smtp' | 'mailbox', now: Date): Promise<void> {
  await db('notification_outbox')
    .where({ id, status: 'pending' })
    .update({ status: 'sent', sent_at: now, delivered_via: via, last_error: null, claimed_until: null });
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
        ? { last_error: outcome.error.slice(0, 200), next_attempt_at: outcome.retryAt, claimed_until: null }
        : { last_error: outcome.error.slice(0, 200), status: 'dead', claimed_until: null },
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

const MESSAGE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether a value from a URL can be an outbox id (a UUID): anything else is never looked up. */
export const isMessageId = (value: string): boolean => MESSAGE_ID.test(value);

/** A message given up on, as administrators see it (src/staff/message-admin.ts). */
export type DeadMessage = Readonly<{
  id: string;
  template: Template;
  recipient: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  /** The application it is about, if any. */
  reference: string | null;
}>;

/** The newest `limit` dead messages, newest first. */
export async function listDeadMessages(db: Db, limit: number): Promise<DeadMessage[]> {
  const rows = await db('notification_outbox as o')
    .leftJoin('submission as s', 's.id', 'o.submission_id')
    .where('o.status', 'dead')
    .orderBy('o.created_at', 'desc')
    .orderBy('o.id')
    .limit(limit)
    .select('o.id', 'o.template', 'o.recipient', 'o.attempts', 'o.last_error', 'o.created_at', 's.reference');
  return rows.map((r: Record<string, unknown>) => ({
    id: r.id as string,
    template: r.template as Template,
    recipient: r.recipient as string,
    attempts: r.attempts as number,
    lastError: (r.last_error as string | null) ?? null,
    createdAt: r.created_at as Date,
    reference: (r.reference as string | null) ?? null,
  }));
}

/**
 * Put a dead message back in the queue, as new: pending, no attempts used, due now. Touches only a row that is
 * still dead (two administrators pressing "Try again" together retry it once). Returns the row, or undefined when
 * there is no dead message with this id. Pass the transaction that audits it.
 */
export async function retryDeadMessage(
  db: Db,
  id: string,
  now: Date,
): Promise<Pick<OutboxRow, 'id' | 'template'> | undefined> {
  if (!isMessageId(id)) return undefined;
  const [row] = await db('notification_outbox')
    .where({ id, status: 'dead' })
    .update({ status: 'pending', attempts: 0, next_attempt_at: now })
    .returning(['id', 'template']);
  return row ? { id: row.id as string, template: row.template as Template } : undefined;
}
