import { storeUpload } from '../uploads/upload-repository';
import type { FileKind } from '../definitions/types';
import type { Knex } from 'knex';
import type { Db } from '../db';
import type { WorkingDayCalendar } from '../calendar/working-days';
import { ukDate } from '../clock';
import type { AnswerValue, Calculation } from '../definitions/types';
import type { DefinitionSnapshot } from '../definitions/snapshot';
import { isDecided, isStatus, transition, type CaseAction, type Status } from '../submissions/status';
import { parseReference } from '../submissions/reference';
import { recordAudit } from './audit-repository';
import { recordAwaitingCitizen, recordDecided } from '../metrics/rollup-repository';
import { defaultCalendar } from '../metrics/processing-time';
import { enqueueCaseMessage, enqueueReplyAlert, NO_EMAIL_MESSAGE } from '../notifications/case-messages';
import { replyAlertAddress } from './staff-user-repository';

export type QueueFilters = Readonly<{
  service?: string;
  status: 'open' | 'all' | Status;
  assignee: 'anyone' | 'unassigned' | 'me' | number;
  overdue: boolean;
  /** What a member of staff typed in "Search cases" (trimmed, at most SEARCH_MAX characters). */
  search?: string;
}>;

export const SEARCH_MAX = 100;
const SEARCH_WORDS = 6;

/** `value` for ILIKE as a literal substring: its wildcards and the escape character escaped. */
const likeSubstring = (value: string) => `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * A case matches a search when the words are its reference (with or without dashes, any case), one of its
 * email addresses (any case), or when every word is part of some text in its answers (names, postcodes
 * inside address answers, any case). Bound parameters only; the JSON path walks nested answers.
 */
function whereSearch(q: Knex.QueryBuilder, search: string) {
  const reference = parseReference(search);
  const words = search.split(/\s+/).filter(Boolean).slice(0, SEARCH_WORDS);
  q.where((or) => {
    if (reference) or.orWhere('s.reference', reference);
    or.orWhereRaw('lower(s.status_check_email) = lower(?)', [search]);
    or.orWhereRaw('lower(s.contact_email) = lower(?)', [search]);
    or.orWhere((all) => {
      for (const word of words) {
        all.whereRaw(
          `exists (select 1 from jsonb_path_query(s.answers, 'strict $.**') as a(v)
                   where jsonb_typeof(a.v) = 'string' and (a.v #>> '{}') ilike ?)`,
          [likeSubstring(word)],
        );
      }
    });
  });
}

export type QueueRow = Readonly<{
  id: number;
  reference: string;
  serviceSlug: string;
  serviceTitle: string;
  status: Status;
  submittedAt: Date;
  dueDate: string;
  assigneeId: number | null;
  assigneeName: string | null;
  contact: string | null;
  /** Flagged by the service's urgency rule when sent: listed first. */
  urgent: boolean;
}>;

const OPEN: readonly Status[] = ['submitted', 'in-review', 'awaiting-citizen'];
const CLOCK_RUNNING: readonly Status[] = ['submitted', 'in-review'];

function queueQuery(db: Db, slugs: readonly string[], filters: QueueFilters, userId: number, today: string) {
  const q = db('submission as s')
    .join('service as v', 'v.slug', 's.service_slug')
    .leftJoin('staff_user as u', 'u.id', 's.assigned_to')
    .whereIn('s.service_slug', slugs);
  if (filters.service) q.where('s.service_slug', filters.service);
  if (filters.status === 'open') q.whereIn('s.status', OPEN);
  else if (filters.status !== 'all') q.where('s.status', filters.status);
  if (filters.assignee === 'unassigned') q.whereNull('s.assigned_to');
  else if (filters.assignee === 'me') q.where('s.assigned_to', userId);
  else if (typeof filters.assignee === 'number') q.where('s.assigned_to', filters.assignee);
  if (filters.overdue) q.whereIn('s.status', CLOCK_RUNNING).where('s.due_date', '<', today);
  if (filters.search) whereSearch(q, filters.search);
  return q;
}

const toRow = (r: Record<string, unknown>): QueueRow => ({
  id: r.id as number,
  reference: r.reference as string,
  serviceSlug: r.service_slug as string,
  serviceTitle: r.title as string,
  status: r.status as Status,
  submittedAt: r.submitted_at as Date,
  dueDate: r.due_date as string,
  assigneeId: (r.assigned_to as number | null) ?? null,
  assigneeName: (r.display_name as string | null) ?? null,
  contact: ((r.status_check_email ?? r.status_check_postcode) as string | null) ?? null,
  urgent: r.urgent === true,
});

/** A page of the queue, urgent cases first, then oldest first, within the services the member of staff may see. */
export async function listQueue(
  db: Db,
  slugs: readonly string[],
  filters: QueueFilters,
  options: Readonly<{ userId: number; today: string; page: number; pageSize: number }>,
): Promise<{ rows: QueueRow[]; total: number }> {
  if (slugs.length === 0) return { rows: [], total: 0 };
  const [{ total }] = (await queueQuery(db, slugs, filters, options.userId, options.today).count({
    total: '*',
  })) as [{ total: number }];
  const rows = await queueQuery(db, slugs, filters, options.userId, options.today)
    .select('s.id', 's.reference', 's.service_slug', 'v.title', 's.status', 's.submitted_at', 's.due_date')
    .select('s.assigned_to', 'u.display_name', 's.status_check_email', 's.status_check_postcode', 's.urgent')
    .orderBy('s.urgent', 'desc')
    .orderBy('s.submitted_at')
    .orderBy('s.id')
    .limit(options.pageSize)
    .offset((options.page - 1) * options.pageSize);
  return { rows: rows.map(toRow), total };
}

/** Every row of a filtered queue, for the CSV export (capped, oldest first). */
export async function exportQueue(
  db: Db,
  slugs: readonly string[],
  filters: QueueFilters,
  options: Readonly<{ userId: number; today: string; limit: number }>,
): Promise<QueueRow[]> {
  if (slugs.length === 0) return [];
  const rows = await queueQuery(db, slugs, filters, options.userId, options.today)
    .select('s.id', 's.reference', 's.service_slug', 'v.title', 's.status', 's.submitted_at', 's.due_date')
    .select('s.assigned_to', 'u.display_name', 's.status_check_email', 's.status_check_postcode', 's.urgent')
    .orderBy('s.urgent', 'desc')
    .orderBy('s.submitted_at')
    .orderBy('s.id')
    .limit(options.limit);
  return rows.map(toRow);
}

export type Actor = Readonly<{ id: number; role: string; requestId?: string }>;

/**
 * "Take the next case": the oldest unassigned open case (urgent ones first) in the member of staff's services, assigned to them.
 * FOR UPDATE SKIP LOCKED means two caseworkers pressing the button together get different cases.
 */
export async function takeNextCase(
  db: Db,
  slugs: readonly string[],
  actor: Actor,
  now: Date,
): Promise<string | undefined> {
  if (slugs.length === 0) return undefined;
  return db.transaction(async (trx) => {
    const next = await trx('submission')
      .whereIn('service_slug', slugs)
      .whereNull('assigned_to')
      .whereIn('status', CLOCK_RUNNING)
      .orderBy('urgent', 'desc')
      .orderBy('submitted_at')
      .orderBy('id')
      .forUpdate()
      .skipLocked()
      .first('id', 'reference', 'status', 'version');
    if (!next) return undefined;
    await assignWithin(trx, next, actor.id, actor, now);
    return next.reference as string;
  });
}

type Locked = { id: number; status: string; version: number };

/** Assign (or unassign) a locked case; returns its status and version afterwards. */
async function assignWithin(
  trx: Knex.Transaction,
  row: Locked,
  to: number | null,
  actor: Actor,
  now: Date,
): Promise<{ status: Status; version: number }> {
  const from = row.status as Status;
  // Assigning a newly received case starts its review; the citizen sees "Being reviewed".
  const to_status = to !== null && from === 'submitted' ? 'in-review' : from;
  await trx('submission')
    .where({ id: row.id })
    .update({ assigned_to: to, status: to_status, version: row.version + 1 });
  await trx('submission_event').insert({
    submission_id: row.id,
    type: to === null ? 'unassigned' : 'assigned',
    occurred_at: now,
    actor_id: actor.id,
    details: JSON.stringify(to === null ? {} : { assignedTo: to }),
  });
  await recordAudit(trx, {
    actorId: actor.id,
    actorRole: actor.role,
    action: to === null ? 'unassign' : 'assign',
    submissionId: row.id,
    fromStatus: from,
    toStatus: to_status,
    requestId: actor.requestId,
    details: to === null ? {} : { assignedTo: to },
  });
  return { status: to_status, version: row.version + 1 };
}

export type CaseDetail = Readonly<{
  id: number;
  reference: string;
  serviceSlug: string;
  status: Status;
  version: number;
  submittedAt: Date;
  dueDate: string;
  decidedAt: Date | null;
  decisionReason: string | null;
  awaitingSince: Date | null;
  pausedWorkingDays: number;
  assigneeId: number | null;
  assigneeName: string | null;
  snapshot: DefinitionSnapshot;
  answers: Readonly<Record<string, AnswerValue>>;
  calculation: Calculation | null;
  /** When the retention job deleted the answers and contact details (src/retention/retention.ts), if it has. */
  anonymisedAt: Date | null;
  /** Where the citizen's emails go; null when they gave no address (then no request for information). */
  contactEmail: string | null;
}>;

/** One case, only if it belongs to one of the given services (anything else is "not found"). */
export async function findCase(
  db: Db,
  reference: string,
  slugs: readonly string[],
): Promise<CaseDetail | undefined> {
  const r = await db('submission as s')
    .leftJoin('staff_user as u', 'u.id', 's.assigned_to')
    .where('s.reference', reference)
    .whereIn('s.service_slug', slugs)
    .first('s.*', 'u.display_name');
  if (!r) return undefined;
  return {
    id: r.id,
    reference: r.reference,
    serviceSlug: r.service_slug,
    status: r.status,
    version: r.version,
    submittedAt: r.submitted_at,
    dueDate: r.due_date,
    decidedAt: r.decided_at,
    decisionReason: r.decision_reason,
    awaitingSince: r.awaiting_since,
    pausedWorkingDays: r.paused_working_days,
    assigneeId: r.assigned_to,
    assigneeName: r.display_name,
    snapshot: r.definition_snapshot,
    answers: r.answers,
    calculation: r.calculation,
    anonymisedAt: r.anonymised_at ?? null,
    contactEmail: r.contact_email ?? null,
  };
}

export async function caseHistory(db: Db, submissionId: number) {
  return db('submission_event as e')
    .leftJoin('staff_user as u', 'u.id', 'e.actor_id')
    .where('e.submission_id', submissionId)
    .orderBy('e.occurred_at')
    .orderBy('e.id')
    .select('e.type', 'e.occurred_at', 'e.details', 'u.display_name') as Promise<
    { type: string; occurred_at: Date; details: Record<string, unknown>; display_name: string | null }[]
  >;
}

export async function caseNotes(db: Db, submissionId: number) {
  return db('submission_note as n')
    .join('staff_user as u', 'u.id', 'n.author_id')
    .where('n.submission_id', submissionId)
    .orderBy('n.created_at')
    .orderBy('n.id')
    .select('n.body', 'n.created_at', 'u.display_name') as Promise<
    { body: string; created_at: Date; display_name: string }[]
  >;
}

export async function caseMessages(db: Db, submissionId: number) {
  return db('submission_message')
    .where({ submission_id: submissionId })
    .orderBy('created_at')
    .orderBy('id')
    .select('id', 'direction', 'body', 'created_at') as Promise<
    { id: number; direction: 'to-citizen' | 'from-citizen'; body: string; created_at: Date }[]
  >;
}

/** Staff who can work a service's cases: caseworkers and managers of its agency, not disabled. */
export async function eligibleAssignees(db: Db, agencyId: string) {
  return db('staff_user')
    .whereIn('role', ['caseworker', 'manager'])
    .whereNull('disabled_at')
    .whereRaw('? = any(agencies)', [agencyId])
    .orderBy('display_name')
    .select('id', 'display_name') as Promise<{ id: number; display_name: string }[]>;
}

export type CaseChange =
  | Readonly<{ kind: 'assign'; to: number | null }>
  | Readonly<{ kind: 'note'; body: string }>
  | Readonly<{ kind: 'request-information'; message: string }>
  /** The request for information is no longer needed: back to review, the clock resumes, the citizen is told. */
  | Readonly<{ kind: 'withdraw-request' }>
  | Readonly<{ kind: 'approve' }>
  | Readonly<{ kind: 'reject'; reason: string }>;

export type ChangeOutcome =
  | { ok: true }
  | { ok: false; problem: 'changed'; message: string }
  | { ok: false; problem: 'not-allowed'; message: string }
  /** The case is someone else's and the actor is not a manager (caseOwnershipRefusal); the refusal is audited. */
  | { ok: false; problem: 'forbidden'; message: string };

/**
 * Who may do what to a case (docs/staff.md, "Who may act on a case"). A manager may do anything to the cases of their
 * services. Anyone else acts only on a case that is unassigned or assigned to them: they may take an unassigned case,
 * hand back their own, and ask for information on, approve or reject an unassigned case or their own. Notes are not
 * a change to the case: anyone who can see it may add one. Returns why a change is refused, or undefined.
 */
export function caseOwnershipRefusal(
  actor: Readonly<{ id: number; role: string }>,
  assignedTo: number | null,
  change: CaseChange,
): string | undefined {
  if (actor.role === 'manager' || change.kind === 'note') return undefined;
  const someoneElse = assignedTo !== null && assignedTo !== actor.id;
  if (change.kind === 'assign') {
    if (change.to !== null && change.to !== actor.id)
      return 'Only a manager can assign a case to someone else';
    if (!someoneElse) return undefined;
    return change.to === null
      ? 'Only a manager can unassign a case from someone else'
      : 'Only a manager can take a case that is assigned to someone else';
  }
  if (!someoneElse) return undefined;
  return {
    'request-information':
      'Only the person the case is assigned to, or a manager, can ask the citizen for more information',
    'withdraw-request':
      'Only the person the case is assigned to, or a manager, can withdraw the request for information',
    approve: 'Only the person the case is assigned to, or a manager, can approve it',
    reject: 'Only the person the case is assigned to, or a manager, can reject it',
  }[change.kind];
}

export const CASE_CHANGED_MESSAGE =
  'This case has changed since you opened it. Check the latest details below, then try again.';

/**
 * Apply one staff action to a case: the change, its history event and its audit row in one transaction.
 * The row is locked and its version compared with the version the person was looking at, so of two
 * concurrent decisions exactly one wins and the other is told the case has changed.
 */
const ANONYMISED_MESSAGE =
  'This application can no longer be changed: its details were deleted under the retention policy';
const DECIDED_ASSIGNMENT_MESSAGE =
  'This application has been decided, so who it is assigned to can no longer change';

export async function changeCase(
  db: Db,
  target: Readonly<{ submissionId: number; expectedVersion: number }>,
  change: CaseChange,
  actor: Actor,
  now: Date,
  calendar: WorkingDayCalendar = defaultCalendar(),
): Promise<ChangeOutcome> {
  return db.transaction(async (trx) => {
    const row = await trx('submission')
      .where({ id: target.submissionId })
      .forUpdate()
      .first(
        'id',
        'status',
        'version',
        'assigned_to',
        'service_slug',
        'submitted_at',
        'paused_seconds',
        'paused_working_days',
        'awaiting_since',
        'due_date',
        'anonymised_at',
        'contact_email',
        trx.raw(`definition_snapshot->>'processingTargetWorkingDays' as target`),
      );
    if (!row || !isStatus(row.status))
      return { ok: false, problem: 'changed', message: CASE_CHANGED_MESSAGE };
    // Retention (src/retention/retention.ts) has deleted its details: nothing more may be written about it.
    if (row.anonymised_at) return { ok: false, problem: 'not-allowed', message: ANONYMISED_MESSAGE };
    if (change.kind === 'note') {
      await trx('submission_note').insert({
        submission_id: row.id,
        author_id: actor.id,
        body: change.body,
        created_at: now,
      });
      await recordAudit(trx, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'note',
        submissionId: row.id,
        requestId: actor.requestId,
      });
      return { ok: true };
    }
    // Ownership is checked on the locked row, so it holds against a concurrent assignment (the lock waits for it).
    const refusal = caseOwnershipRefusal(actor, row.assigned_to, change);
    if (refusal) {
      await recordAudit(trx, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'case-action-refused',
        submissionId: row.id,
        fromStatus: row.status,
        toStatus: row.status,
        requestId: actor.requestId,
        details: {
          attempted: change.kind === 'assign' && change.to === null ? 'unassign' : change.kind,
          assignedTo: row.assigned_to,
          ...(change.kind === 'assign' && change.to !== null && change.to !== actor.id
            ? { to: change.to }
            : {}),
        },
      });
      return { ok: false, problem: 'forbidden', message: refusal };
    }
    // A withdrawal that lost to the citizen's reply (the lock waited for it) says so, rather than "the case changed".
    if (change.kind === 'withdraw-request') {
      const allowed = transition(row.status, 'withdraw-request');
      if (!allowed.ok) return { ok: false, problem: 'not-allowed', message: allowed.reason };
    }
    if (row.version !== target.expectedVersion)
      return { ok: false, problem: 'changed', message: CASE_CHANGED_MESSAGE };
    if (change.kind === 'assign') {
      // A decided case is closed: reassigning it would tell the citizen it is being reviewed again.
      if (isDecided(row.status))
        return { ok: false, problem: 'not-allowed', message: DECIDED_ASSIGNMENT_MESSAGE };
      await assignWithin(trx, row, change.to, actor, now);
      return { ok: true };
    }
    const action: CaseAction = change.kind;
    const allowed = transition(row.status, action);
    if (!allowed.ok) return { ok: false, problem: 'not-allowed', message: allowed.reason };
    // A request nobody receives would leave the case waiting for ever (src/notifications).
    if (change.kind === 'request-information' && !row.contact_email)
      return { ok: false, problem: 'not-allowed', message: NO_EMAIL_MESSAGE };
    // Whoever acts on a case nobody has is assigned it first, in this transaction (submitted becomes in review).
    if (row.assigned_to === null) Object.assign(row, await assignWithin(trx, row, actor.id, actor, now));
    const moved = transition(row.status, action);
    if (!moved.ok) return { ok: false, problem: 'not-allowed', message: moved.reason };

    if (change.kind === 'withdraw-request') {
      // Work restarts as when the citizen replies: the same clock rule, and the same rollup.
      const pausedDays = await resumeClock(trx, row, moved.to, now, calendar);
      await trx('submission_event').insert({
        submission_id: row.id,
        type: 'request-withdrawn',
        occurred_at: now,
        actor_id: actor.id,
      });
      await enqueueCaseMessage(trx, row.id, change, now);
      await recordAudit(trx, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'request-withdrawn',
        submissionId: row.id,
        fromStatus: row.status,
        toStatus: moved.to,
        requestId: actor.requestId,
        details: { pausedWorkingDays: pausedDays },
      });
      return { ok: true };
    }

    const update: Record<string, unknown> = { status: moved.to, version: row.version + 1 };
    if (change.kind === 'request-information') update.awaiting_since = now;
    if (change.kind === 'approve' || change.kind === 'reject') update.decided_at = now;
    if (change.kind === 'reject') update.decision_reason = change.reason;
    await trx('submission').where({ id: row.id }).update(update);
    // The performance rollups move in the same transaction (src/metrics/rollup-repository.ts).
    const rollupCase = { serviceSlug: row.service_slug, submittedAt: row.submitted_at };
    if (change.kind === 'request-information') await recordAwaitingCitizen(trx, rollupCase, 1);
    else {
      await recordDecided(
        trx,
        {
          ...rollupCase,
          decidedAt: now,
          pausedSeconds: Number(row.paused_seconds),
          pausedWorkingDays: row.paused_working_days,
          outcome: change.kind === 'approve' ? 'approved' : 'rejected',
          targetWorkingDays: row.target === null ? null : Number(row.target),
        },
        calendar,
      );
    }

    const eventType = {
      'request-information': 'information-requested',
      approve: 'approved',
      reject: 'rejected',
    }[change.kind];
    await trx('submission_event').insert({
      submission_id: row.id,
      type: eventType,
      occurred_at: now,
      actor_id: actor.id,
    });
    if (change.kind === 'request-information') {
      await trx('submission_message').insert({
        submission_id: row.id,
        direction: 'to-citizen',
        author_id: actor.id,
        body: change.message,
        created_at: now,
      });
    }
    // The citizen's email, in this transaction: no decision without its message (src/notifications/outbox.ts).
    await enqueueCaseMessage(trx, row.id, change, now);
    await recordAudit(trx, {
      actorId: actor.id,
      actorRole: actor.role,
      action: change.kind,
      submissionId: row.id,
      fromStatus: row.status,
      toStatus: moved.to,
      requestId: actor.requestId,
    });
    return { ok: true };
  });
}

type Paused = {
  id: number;
  version: number;
  service_slug: string;
  submitted_at: Date;
  awaiting_since: Date | null;
  due_date: string | null;
  paused_seconds: number | string;
  paused_working_days: number;
};

/**
 * The processing clock restarts on a case that was waiting for the citizen (they replied, or the request was
 * withdrawn): the due date moves back by the working days spent waiting, the calendar time waited is kept for the
 * metrics, and the awaiting-citizen rollup goes down. On the locked row, in the caller's transaction. Returns the
 * working days waited.
 */
async function resumeClock(
  trx: Knex.Transaction,
  row: Paused,
  to: Status,
  now: Date,
  calendar: WorkingDayCalendar,
): Promise<number> {
  const since: Date = row.awaiting_since ?? now;
  const pausedDays = Math.max(0, calendar.workingDaysBetween(ukDate(since), ukDate(now)));
  await trx('submission')
    .where({ id: row.id })
    .update({
      status: to,
      version: row.version + 1,
      awaiting_since: null,
      paused_seconds:
        Number(row.paused_seconds) + Math.max(0, Math.round((now.getTime() - since.getTime()) / 1000)),
      paused_working_days: row.paused_working_days + pausedDays,
      due_date: row.due_date ? calendar.addWorkingDays(row.due_date, pausedDays) : row.due_date,
    });
  await recordAwaitingCitizen(trx, { serviceSlug: row.service_slug, submittedAt: row.submitted_at }, -1);
  return pausedDays;
}

/** What the citizen is told when their reply loses to the caseworker withdrawing the request. */
export const NO_LONGER_NEEDED_MESSAGE =
  'We no longer need the information we asked for, so your reply was not sent. You do not need to do anything';

/**
 * The citizen's answer to a request for information. The processing clock restarts (resumeClock). When the case
 * is assigned to someone who asked to be told (/staff/account/notifications) and whose account is enabled, they
 * are emailed in the same transaction.
 */
export async function recordCitizenReply(
  db: Db,
  reference: string,
  body: string,
  now: Date,
  calendar: WorkingDayCalendar,
  requestId?: string,
  /** A file sent with the reply, already checked and scanned (src/uploads/intake.ts): stored with it or not at all. */
  attachment?: Readonly<{ name: string; kind: FileKind; content: Buffer }>,
): Promise<{ ok: true } | { ok: false; message: string }> {
  return db.transaction(async (trx) => {
    const row = await trx('submission')
      .where({ reference })
      .forUpdate()
      .first(
        'id',
        'status',
        'version',
        'assigned_to',
        'service_slug',
        'submitted_at',
        'awaiting_since',
        'due_date',
        'paused_seconds',
        'paused_working_days',
      );
    if (!row || !isStatus(row.status)) return { ok: false, message: 'We could not find that application' };
    const moved = transition(row.status, 'citizen-replied');
    if (!moved.ok) {
      // The lock may have waited for a caseworker who withdrew the request: their change stands, and the citizen
      // is told plainly (not for a second copy of a reply already received).
      const last = await trx('submission_event')
        .where({ submission_id: row.id })
        .whereIn('type', ['information-provided', 'request-withdrawn'])
        .orderBy('occurred_at', 'desc')
        .orderBy('id', 'desc')
        .first('type');
      return {
        ok: false,
        message: last?.type === 'request-withdrawn' ? NO_LONGER_NEEDED_MESSAGE : moved.reason,
      };
    }
    const pausedDays = await resumeClock(trx, row, moved.to, now, calendar);
    const [message] = (await trx('submission_message')
      .insert({
        submission_id: row.id,
        direction: 'from-citizen',
        body,
        created_at: now,
      })
      .returning('id')) as { id: number }[];
    if (attachment) {
      await storeUpload(trx, {
        journeyKey: 'reply',
        submissionId: row.id,
        messageId: Number(message!.id),
        questionId: 'reply',
        ...attachment,
        now,
      });
    }
    await trx('submission_event').insert({
      submission_id: row.id,
      type: 'information-provided',
      occurred_at: now,
    });
    await recordAudit(trx, {
      actorRole: 'citizen',
      action: 'citizen-replied',
      submissionId: row.id,
      fromStatus: row.status,
      toStatus: moved.to,
      requestId,
      details: { pausedWorkingDays: pausedDays, files: attachment ? 1 : 0 },
    });
    const alertTo = row.assigned_to === null ? undefined : await replyAlertAddress(trx, row.assigned_to);
    if (alertTo) await enqueueReplyAlert(trx, row.id, alertTo, now);
    return { ok: true };
  });
}

export type Workload = Readonly<{
  id: number | null;
  name: string;
  open: number;
  overdue: number;
  awaiting: number;
}>;

/** Open cases per person (and unassigned) in the given services: the manager's team view. */
export async function teamWorkload(db: Db, slugs: readonly string[], today: string): Promise<Workload[]> {
  if (slugs.length === 0) return [];
  const rows = await db('submission as s')
    .leftJoin('staff_user as u', 'u.id', 's.assigned_to')
    .whereIn('s.service_slug', slugs)
    .whereIn('s.status', OPEN)
    .groupBy('s.assigned_to', 'u.display_name')
    .select('s.assigned_to', 'u.display_name')
    .select(db.raw('count(*)::int as open'))
    .select(
      db.raw(
        `count(*) filter (where s.status in ('submitted', 'in-review') and s.due_date < ?)::int as overdue`,
        [today],
      ),
    )
    .select(db.raw(`count(*) filter (where s.status = 'awaiting-citizen')::int as awaiting`))
    .orderByRaw('u.display_name nulls first');
  return rows.map(
    (r: {
      assigned_to: number | null;
      display_name: string | null;
      open: number;
      overdue: number;
      awaiting: number;
    }) => ({
      id: r.assigned_to,
      name: r.display_name ?? 'Unassigned',
      open: r.open,
      overdue: r.overdue,
      awaiting: r.awaiting,
    }),
  );
}
