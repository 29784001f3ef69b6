import type { Knex } from 'knex';
import type { Db } from '../db';

export type AuditEvent = Readonly<{
  actorId?: number;
  actorRole?: string;
  /** e.g. sign-in, sign-in-failed, mfa-failed, access-denied, assign, note, request-information, approve, reject */
  action: string;
  submissionId?: number;
  fromStatus?: string;
  toStatus?: string;
  requestId?: string;
  /** Never personal data: ids, counts, reasons for a denial, route names. */
  details?: Readonly<Record<string, unknown>>;
}>;

/** Append one row to the audit log. Pass the transaction that makes the change, so both commit or neither. */
export async function recordAudit(db: Db | Knex.Transaction, event: AuditEvent): Promise<void> {
  await db('audit_event').insert({
    actor_id: event.actorId ?? null,
    actor_role: event.actorRole ?? null,
    action: event.action,
    submission_id: event.submissionId ?? null,
    from_status: event.fromStatus ?? null,
    to_status: event.toStatus ?? null,
    request_id: event.requestId ?? null,
    details: JSON.stringify(event.details ?? {}),
  });
}

export type AuditRow = Readonly<{
  id: number;
  occurredAt: Date;
  actorId: number | null;
  actorName: string | null;
  actorRole: string | null;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}>;

export async function auditForSubmission(db: Db, submissionId: number): Promise<AuditRow[]> {
  const rows = await db('audit_event as a')
    .leftJoin('staff_user as u', 'u.id', 'a.actor_id')
    .where('a.submission_id', submissionId)
    .orderBy('a.occurred_at')
    .orderBy('a.id')
    .select('a.*', 'u.display_name');
  return rows.map((r) => ({
    id: r.id,
    occurredAt: r.occurred_at,
    actorId: r.actor_id,
    actorName: r.display_name,
    actorRole: r.actor_role,
    action: r.action,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    requestId: r.request_id,
    details: r.details,
  }));
}
