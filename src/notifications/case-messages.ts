import type { Knex } from 'knex';
import { ukDate } from '../clock';
import type { DefinitionSnapshot } from '../definitions/snapshot';
import { enqueue } from './outbox';

// The messages a caseworker's action sends, written in that action's transaction (staff/case-repository.ts).

export type CaseMessageChange =
  | Readonly<{ kind: 'request-information'; message: string }>
  | Readonly<{ kind: 'withdraw-request' }>
  | Readonly<{ kind: 'approve' }>
  | Readonly<{ kind: 'reject'; reason: string }>;

export const NO_EMAIL_MESSAGE =
  'The citizen gave no email address, so they cannot be asked for more information. Contact them another way or decide on the information you have';

/**
 * Queue the citizen's email for a request for information, its withdrawal or a decision; nothing when the citizen
 * gave no address.
 */
export async function enqueueCaseMessage(
  trx: Knex.Transaction,
  submissionId: number,
  change: CaseMessageChange,
  now: Date,
): Promise<void> {
  const row = await trx('submission')
    .where({ id: submissionId })
    .first('reference', 'service_slug', 'contact_email', 'definition_snapshot');
  if (!row?.contact_email) return;
  const snapshot = (
    typeof row.definition_snapshot === 'string'
      ? JSON.parse(row.definition_snapshot)
      : row.definition_snapshot
  ) as DefinitionSnapshot;
  const application = {
    reference: row.reference as string,
    serviceSlug: row.service_slug as string,
    serviceTitle: snapshot.title,
    agency: { name: snapshot.agency.name, contact: snapshot.agency.contact },
  };
  const common = { recipient: row.contact_email as string, submissionId, now };
  if (change.kind === 'request-information') {
    await enqueue(trx, {
      ...common,
      template: 'information-requested',
      data: { ...application, request: change.message, pausedOn: ukDate(now) },
    });
  } else if (change.kind === 'withdraw-request') {
    await enqueue(trx, {
      ...common,
      template: 'request-withdrawn',
      data: { ...application, withdrawnOn: ukDate(now) },
    });
  } else {
    await enqueue(trx, {
      ...common,
      template: 'decision',
      data: {
        ...application,
        outcome: change.kind === 'approve' ? 'approved' : 'rejected',
        reason: change.kind === 'reject' ? change.reason : null,
        afterApproval: change.kind === 'approve' ? (snapshot.afterApproval ?? []) : [],
      },
    });
  }
}

/**
 * Queue the alert to a member of staff that the citizen replied on a case assigned to them (the caller has checked
 * they asked for it). The reference and the service only: no personal data and not the reply.
 */
export async function enqueueReplyAlert(
  trx: Knex.Transaction,
  submissionId: number,
  recipient: string,
  now: Date,
): Promise<void> {
  const row = await trx('submission')
    .where({ id: submissionId })
    .first('reference', trx.raw(`definition_snapshot->>'title' as title`));
  if (!row) return;
  await enqueue(trx, {
    template: 'citizen-replied',
    recipient,
    submissionId,
    now,
    data: { reference: row.reference as string, serviceTitle: row.title as string },
  });
}
