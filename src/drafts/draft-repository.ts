import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Db } from '../db';
import type { JourneyState } from '../journey/journey';
import { hashLinkToken, newLinkToken } from '../crypto/link-token';
import type { SavedPage } from './restore';

// Saved drafts and the links that continue them (docs/save-and-return.md). All SQL about drafts is here.

export type Draft = Readonly<{
  id: string;
  serviceSlug: string;
  serviceVersion: number;
  email: string;
  state: JourneyState;
  pages: readonly SavedPage[];
  uploadKey: string | null;
  savedAt: Date;
  expiresAt: Date;
}>;

const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

const toDraft = (r: Record<string, unknown>): Draft => ({
  id: r.id as string,
  serviceSlug: r.service_slug as string,
  serviceVersion: r.service_version as number,
  email: r.email as string,
  state: json<JourneyState>(r.state),
  pages: json<SavedPage[]>(r.pages),
  uploadKey: (r.upload_key as string | null) ?? null,
  savedAt: r.saved_at as Date,
  expiresAt: r.expires_at as Date,
});

export type DraftToSave = Readonly<{
  /** The draft this session saved before, if any: saved over when it is still there for this address. */
  id?: string;
  serviceSlug: string;
  serviceVersion: number;
  email: string;
  state: JourneyState;
  pages: readonly SavedPage[];
  uploadKey?: string;
  now: Date;
  expiresAt: Date;
}>;

/** Save the draft (over the session's earlier one for the same service and address), in the caller's transaction. */
export async function saveDraft(trx: Knex.Transaction, draft: DraftToSave): Promise<string> {
  const fields = {
    service_version: draft.serviceVersion,
    state: JSON.stringify({ answers: draft.state.answers, completed: draft.state.completed }),
    pages: JSON.stringify(draft.pages),
    upload_key: draft.uploadKey ?? null,
    saved_at: draft.now,
    expires_at: draft.expiresAt,
  };
  if (draft.id) {
    const updated = await trx('draft')
      .where({ id: draft.id, service_slug: draft.serviceSlug, email: draft.email })
      .where('expires_at', '>', draft.now)
      .update(fields)
      .returning('id');
    if (updated.length > 0) return draft.id;
  }
  const id = crypto.randomUUID();
  await trx('draft').insert({
    id,
    service_slug: draft.serviceSlug,
    email: draft.email,
    created_at: draft.now,
    ...fields,
  });
  return id;
}

/**
 * A new link for the draft; the draft's earlier links stop working (the newest email is the one to use).
 * Returns the token, which is stored nowhere: only its hash.
 */
export async function createDraftLink(
  trx: Knex.Transaction,
  draftId: string,
  now: Date,
  expiresAt: Date,
): Promise<string> {
  await trx('draft_link').where({ draft_id: draftId }).whereNull('used_at').delete();
  const token = newLinkToken();
  await trx('draft_link').insert({
    token_hash: hashLinkToken(token),
    draft_id: draftId,
    created_at: now,
    expires_at: expiresAt,
  });
  return token;
}

export type Redeemed =
  Readonly<{ ok: true; draft: Draft }> | Readonly<{ ok: false; problem: 'unknown' | 'used' | 'expired' }>;

/**
 * Use a link, once: in one transaction the link is locked, checked and marked used. Two clicks at the same
 * moment get the draft once. An expired draft or link says so (the draft may still be there until retention).
 */
export async function redeemDraftLink(db: Db, token: string, now: Date): Promise<Redeemed> {
  return db.transaction(async (trx) => {
    const link = await trx('draft_link')
      .where({ token_hash: hashLinkToken(token) })
      .forUpdate()
      .first('token_hash', 'draft_id', 'expires_at', 'used_at');
    if (!link) return { ok: false, problem: 'unknown' };
    if (link.used_at) return { ok: false, problem: 'used' };
    const row = await trx('draft').where({ id: link.draft_id }).first();
    if (!row) return { ok: false, problem: 'unknown' };
    if (link.expires_at <= now || row.expires_at <= now) return { ok: false, problem: 'expired' };
    await trx('draft_link').where({ token_hash: link.token_hash }).update({ used_at: now });
    return { ok: true, draft: toDraft(row) };
  });
}

/** The drafts kept for an address that have not expired, newest first (at most `limit`). */
export async function liveDraftsFor(db: Db, email: string, now: Date, limit = 10): Promise<Draft[]> {
  const rows = await db('draft')
    .where({ email })
    .where('expires_at', '>', now)
    .orderBy('saved_at', 'desc')
    .limit(limit);
  return rows.map(toDraft);
}

/** One of an address's drafts, if it is theirs and has not expired. */
export async function liveDraftOf(db: Db, id: string, email: string, now: Date): Promise<Draft | undefined> {
  const row = await db('draft').where({ id, email }).where('expires_at', '>', now).first();
  return row ? toDraft(row) : undefined;
}

/** The citizen gives up one of their drafts: it goes, with its links and emails. False when it was not theirs. */
export async function deleteDraftOf(db: Db, id: string, email: string): Promise<boolean> {
  return (await db('draft').where({ id, email }).delete()) > 0;
}

/** The draft is sent (or given up): it goes, with its links and its email. */
export async function deleteDraft(trx: Db | Knex.Transaction, id: string): Promise<void> {
  await trx('draft').where({ id }).delete();
}

/** Drafts past their expiry, with their links and emails (retention). Returns how many. */
export async function deleteExpiredDrafts(db: Db, now: Date, dryRun = false): Promise<number> {
  const expired = db('draft').where('expires_at', '<=', now);
  if (dryRun) {
    const [row] = (await expired.clone().count({ n: '*' })) as { n: number | string }[];
    return Number(row?.n ?? 0);
  }
  return (await expired.delete().returning('id')).length;
}
