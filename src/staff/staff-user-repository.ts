import type { Knex } from 'knex';
import type { Db } from '../db';
import type { StaffRole } from './access';

// All SQL for staff accounts (staff_user, staff_recovery_code) and for ending a person's sessions.
// Functions that change something take a Db or a transaction, so the caller can write the audit row with it.

type DbOrTrx = Db | Knex.Transaction;

export type StaffUser = Readonly<{
  id: number;
  email: string;
  displayName: string;
  role: StaffRole;
  agencies: readonly string[];
  passwordHash: string;
  totpSecretEncrypted: string | null;
  totpLastStep: number | null;
  mfaEnrolledAt: Date | null;
  disabledAt: Date | null;
  createdAt: Date;
  /** Compared with the staff session's on every request (access.ts): a session of an older generation is over. */
  sessionGeneration: number;
  /** The password is a temporary one an administrator saw: it must be replaced before anything else. */
  passwordMustChange: boolean;
}>;

type StaffUserRow = {
  id: number;
  email: string;
  display_name: string;
  role: StaffRole;
  agencies: string[];
  password_hash: string;
  totp_secret_encrypted: string | null;
  totp_last_step: number | null;
  mfa_enrolled_at: Date | null;
  disabled_at: Date | null;
  created_at: Date;
  session_generation: number;
  password_must_change: boolean;
};

const toStaffUser = (r: StaffUserRow): StaffUser => ({
  id: r.id,
  email: r.email,
  displayName: r.display_name,
  role: r.role,
  agencies: r.agencies,
  passwordHash: r.password_hash,
  totpSecretEncrypted: r.totp_secret_encrypted,
  totpLastStep: r.totp_last_step,
  mfaEnrolledAt: r.mfa_enrolled_at,
  disabledAt: r.disabled_at,
  createdAt: r.created_at,
  sessionGeneration: r.session_generation,
  passwordMustChange: r.password_must_change,
});

/** Emails are stored and compared in lower case. */
export const normaliseStaffEmail = (email: string): string => email.trim().toLowerCase();

export async function findStaffUserByEmail(db: DbOrTrx, email: string): Promise<StaffUser | undefined> {
  const row = (await db('staff_user').where('email', normaliseStaffEmail(email)).first()) as
    StaffUserRow | undefined;
  return row && toStaffUser(row);
}

export async function findStaffUserById(db: DbOrTrx, id: number): Promise<StaffUser | undefined> {
  const row = (await db('staff_user').where('id', id).first()) as StaffUserRow | undefined;
  return row && toStaffUser(row);
}

export type NewStaffUser = Readonly<{
  email: string;
  displayName: string;
  role: StaffRole;
  agencies: readonly string[];
  passwordHash: string;
  /** A temporary password an administrator saw (true for accounts they add): replaced at first sign-in. */
  passwordMustChange?: boolean;
}>;

/** Inserts an account (without MFA: the person sets it up at first sign-in) and returns its id. */
export async function insertStaffUser(db: DbOrTrx, user: NewStaffUser): Promise<number> {
  const [row] = (await db('staff_user')
    .insert({
      email: normaliseStaffEmail(user.email),
      display_name: user.displayName,
      role: user.role,
      agencies: [...user.agencies],
      password_hash: user.passwordHash,
      password_must_change: user.passwordMustChange ?? false,
    })
    .returning('id')) as { id: number }[];
  if (!row) throw new Error('insert into staff_user returned no id');
  return row.id;
}

/** True when the error is the unique email constraint (an account with that email already exists). */
export function isDuplicateEmailError(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string; message?: string };
  return e?.code === '23505' && (e.constraint ?? e.message ?? '').includes('email');
}

/**
 * Completes MFA set-up: the sealed secret, the step of the code that confirmed it, the time and the hashed
 * recovery codes (replacing any). Only for an account with no secret, so two set-ups cannot race; false if
 * the account already has one.
 */
export async function enrolMfa(
  db: DbOrTrx,
  userId: number,
  enrolment: Readonly<{
    totpSecretEncrypted: string;
    /** The step of the code that confirmed set-up (null only for seeded demo accounts). */
    step: number | null;
    enrolledAt: Date;
    recoveryCodeHashes: readonly string[];
  }>,
): Promise<boolean> {
  const updated = await db('staff_user').where('id', userId).whereNull('totp_secret_encrypted').update({
    totp_secret_encrypted: enrolment.totpSecretEncrypted,
    totp_last_step: enrolment.step,
    mfa_enrolled_at: enrolment.enrolledAt,
  });
  if (updated !== 1) return false;
  await replaceRecoveryCodes(db, userId, enrolment.recoveryCodeHashes);
  return true;
}

/**
 * Records the step of an accepted code, only if it is later than the last one: false means another request
 * used this step (or a later one) first, so the code must be refused. This is the replay guard.
 */
export async function recordTotpStep(db: DbOrTrx, userId: number, step: number): Promise<boolean> {
  const updated = await db('staff_user')
    .where('id', userId)
    .where((q) => q.whereNull('totp_last_step').orWhere('totp_last_step', '<', step))
    .update({ totp_last_step: step });
  return updated === 1;
}

export async function replaceRecoveryCodes(
  db: DbOrTrx,
  userId: number,
  codeHashes: readonly string[],
): Promise<void> {
  await db('staff_recovery_code').where('staff_user_id', userId).delete();
  if (codeHashes.length > 0) {
    await db('staff_recovery_code').insert(
      codeHashes.map((codeHash) => ({ staff_user_id: userId, code_hash: codeHash })),
    );
  }
}

export async function unusedRecoveryCodes(
  db: DbOrTrx,
  userId: number,
): Promise<{ id: number; codeHash: string }[]> {
  const rows = (await db('staff_recovery_code')
    .where('staff_user_id', userId)
    .whereNull('used_at')
    .orderBy('id')
    .select('id', 'code_hash')) as { id: number; code_hash: string }[];
  return rows.map((r) => ({ id: r.id, codeHash: r.code_hash }));
}

/** Marks a recovery code used; false if it was already used (by a parallel request), so it must be refused. */
export async function useRecoveryCode(db: DbOrTrx, codeId: number, at: Date): Promise<boolean> {
  const updated = await db('staff_recovery_code')
    .where('id', codeId)
    .whereNull('used_at')
    .update({ used_at: at });
  return updated === 1;
}

export async function disableStaffUser(db: DbOrTrx, userId: number, at: Date): Promise<boolean> {
  const updated = await db('staff_user')
    .where('id', userId)
    .whereNull('disabled_at')
    .update({ disabled_at: at });
  return updated === 1;
}

export async function enableStaffUser(db: DbOrTrx, userId: number): Promise<boolean> {
  const updated = await db('staff_user')
    .where('id', userId)
    .whereNotNull('disabled_at')
    .update({ disabled_at: null });
  return updated === 1;
}

/** What the guard needs on every staff request (one lookup by primary key), or undefined if the account has gone. */
export async function sessionStateOf(
  db: DbOrTrx,
  userId: number,
): Promise<{ sessionGeneration: number; disabled: boolean } | undefined> {
  const row = (await db('staff_user').where('id', userId).first('session_generation', 'disabled_at')) as
    Pick<StaffUserRow, 'session_generation' | 'disabled_at'> | undefined;
  return row && { sessionGeneration: row.session_generation, disabled: row.disabled_at !== null };
}

/**
 * Sets a new password hash. `temporary`: one an administrator saw (a reset), to be replaced at the next sign-in;
 * otherwise the person chose it. Either way every session of the account ends (a new generation, rows deleted);
 * returns the new generation, for the one session that may go on (the person changing their own password).
 */
export async function setPassword(
  db: DbOrTrx,
  userId: number,
  passwordHash: string,
  { temporary, at }: { temporary: boolean; at: Date },
): Promise<number> {
  await db('staff_user')
    .where('id', userId)
    .update({
      password_hash: passwordHash,
      password_must_change: temporary,
      ...(temporary ? {} : { password_changed_at: at }),
    });
  await endSessionsOf(db, userId);
  const state = await sessionStateOf(db, userId);
  if (!state) throw new Error(`staff user ${userId} has gone`);
  return state.sessionGeneration;
}

/** Clears the authenticator and the recovery codes: the person sets MFA up again at their next sign-in. */
export async function resetMfa(db: DbOrTrx, userId: number): Promise<void> {
  await db('staff_user').where('id', userId).update({
    totp_secret_encrypted: null,
    totp_last_step: null,
    mfa_enrolled_at: null,
  });
  await db('staff_recovery_code').where('staff_user_id', userId).delete();
}

export type StaffUserSummary = Readonly<{
  id: number;
  email: string;
  displayName: string;
  role: StaffRole;
  agencies: readonly string[];
  mfaEnrolled: boolean;
  disabled: boolean;
}>;

export async function listStaffUsers(db: DbOrTrx): Promise<StaffUserSummary[]> {
  const rows = (await db('staff_user')
    .orderByRaw('disabled_at is not null')
    .orderBy('display_name')
    .orderBy('id')
    .select(
      'id',
      'email',
      'display_name',
      'role',
      'agencies',
      'mfa_enrolled_at',
      'disabled_at',
    )) as StaffUserRow[];
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    displayName: r.display_name,
    role: r.role,
    agencies: r.agencies,
    mfaEnrolled: r.mfa_enrolled_at !== null,
    disabled: r.disabled_at !== null,
  }));
}

/**
 * Ends every session of one member of staff (ASVS 7.4.2): the account's session generation goes up, so the guard
 * refuses every session made before (whatever requests were in flight: a request that loaded a session before
 * this can neither pass the guard again nor bring its row back, see src/middleware/session.ts), and the rows are
 * deleted from the session table. The session row's `sess` column is json holding `staff.userId`. Returns how
 * many rows were deleted.
 */
export async function endSessionsOf(db: DbOrTrx, userId: number): Promise<number> {
  await db('staff_user')
    .where('id', userId)
    .update({ session_generation: db.raw('session_generation + 1') });
  const result: unknown = await db('session')
    .whereRaw("(sess::jsonb -> 'staff' ->> 'userId') = ?", [String(userId)])
    .delete();
  // pg answers a count; knex-pglite 0.14 answers the raw result (its 'DEL' command misses knex's 'DELETE' check).
  return typeof result === 'number' ? result : Number((result as { rowCount?: number }).rowCount ?? 0);
}

/** How many sessions a member of staff has (for tests and the admin pages). */
export async function countSessionsOf(db: DbOrTrx, userId: number): Promise<number> {
  const [row] = (await db('session')
    .whereRaw("(sess::jsonb -> 'staff' ->> 'userId') = ?", [String(userId)])
    .count({ n: '*' })) as { n: number | string }[];
  return Number(row?.n ?? 0);
}

/** Whether the person has asked to be emailed when a citizen replies on a case assigned to them. */
export async function replyAlertsOn(db: DbOrTrx, userId: number): Promise<boolean> {
  const row = (await db('staff_user').where('id', userId).first('alert_on_citizen_reply')) as
    { alert_on_citizen_reply: boolean } | undefined;
  return row?.alert_on_citizen_reply === true;
}

export async function setReplyAlerts(db: DbOrTrx, userId: number, on: boolean): Promise<void> {
  await db('staff_user').where('id', userId).update({ alert_on_citizen_reply: on });
}

/**
 * Where to send the "a citizen replied" alert for a case assigned to `userId`: their email, only when they opted in
 * and their account is enabled; otherwise undefined.
 */
export async function replyAlertAddress(db: DbOrTrx, userId: number): Promise<string | undefined> {
  const row = (await db('staff_user')
    .where({ id: userId, alert_on_citizen_reply: true })
    .whereNull('disabled_at')
    .first('email')) as { email: string } | undefined;
  return row?.email;
}
