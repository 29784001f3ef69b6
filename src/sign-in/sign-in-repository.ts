import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Db } from '../db';
import { hashLinkToken, newLinkToken } from '../crypto/link-token';

// The links that sign citizens in (docs/your-applications.md). All SQL about them is here.

/** A new link for an address, in the caller's transaction. Returns its id and the token, which is stored nowhere. */
export async function createSignInLink(
  trx: Knex.Transaction,
  email: string,
  now: Date,
  expiresAt: Date,
): Promise<{ id: string; token: string }> {
  const id = crypto.randomUUID();
  const token = newLinkToken();
  await trx('citizen_sign_in_link').insert({
    id,
    token_hash: hashLinkToken(token),
    email,
    created_at: now,
    expires_at: expiresAt,
  });
  return { id, token };
}

export type SignInLinkCheck =
  Readonly<{ ok: true; email: string }> | Readonly<{ ok: false; problem: 'unknown' | 'used' | 'expired' }>;

type LinkRow = { token_hash: string; email: string; expires_at: Date; used_at: Date | null };

function verdict(link: LinkRow | undefined, now: Date): SignInLinkCheck {
  if (!link) return { ok: false, problem: 'unknown' };
  if (link.used_at) return { ok: false, problem: 'used' };
  if (link.expires_at <= now) return { ok: false, problem: 'expired' };
  return { ok: true, email: link.email };
}

/** What following the link would do, without using it (the page with the "Sign in" button). */
export async function checkSignInLink(db: Db, token: string, now: Date): Promise<SignInLinkCheck> {
  const link = await db('citizen_sign_in_link')
    .where({ token_hash: hashLinkToken(token) })
    .first('token_hash', 'email', 'expires_at', 'used_at');
  return verdict(link, now);
}

/**
 * Use a link, once: in one transaction it is locked, checked and marked used, so two presses at the same moment
 * sign in once; the second sees "already been used".
 */
export async function useSignInLink(db: Db, token: string, now: Date): Promise<SignInLinkCheck> {
  return db.transaction(async (trx) => {
    const link = await trx('citizen_sign_in_link')
      .where({ token_hash: hashLinkToken(token) })
      .forUpdate()
      .first('token_hash', 'email', 'expires_at', 'used_at');
    const result = verdict(link, now);
    if (result.ok) {
      await trx('citizen_sign_in_link').where({ token_hash: link!.token_hash }).update({ used_at: now });
    }
    return result;
  });
}

/** Links past their expiry, with their emails (retention). Returns how many. */
export async function deleteExpiredSignInLinks(db: Db, now: Date, dryRun = false): Promise<number> {
  const expired = db('citizen_sign_in_link').where('expires_at', '<=', now);
  if (dryRun) {
    const [row] = (await expired.clone().count({ n: '*' })) as { n: number | string }[];
    return Number(row?.n ?? 0);
  }
  return (await expired.delete().returning('id')).length;
}
