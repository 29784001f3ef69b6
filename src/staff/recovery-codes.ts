import { hashPassword, randomString, UNAMBIGUOUS_ALPHABET, verifyPassword } from './passwords';

// One-time recovery codes for when the authenticator app is lost: 10 of them, each 10 characters from an
// alphabet with no look-alikes (about 49 bits each), shown once in two groups of five ('K7QMX-2WA9H') and
// stored only as argon2id hashes. Each works once; sign-in attempts with them are rate limited like codes.

export const RECOVERY_CODE_COUNT = 10;
const CODE_LENGTH = 10;
const VALID = new RegExp(`^[${UNAMBIGUOUS_ALPHABET}]{${CODE_LENGTH}}$`);

/** New codes, unformatted (10 characters each). */
export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => randomString(CODE_LENGTH));
}

/** 'K7QMX2WA9H' → 'K7QMX-2WA9H', as the codes are shown. */
export function formatRecoveryCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** What a person typed, as a code: any case, spaces and hyphens ignored. Undefined if it cannot be a code. */
export function normaliseRecoveryCode(input: string): string | undefined {
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  return VALID.test(code) ? code : undefined;
}

export async function hashRecoveryCodes(codes: readonly string[]): Promise<string[]> {
  return Promise.all(codes.map((code) => hashPassword(code)));
}

/** The id of the stored code this input matches, if any (checks every unused code, so time does not depend on which). */
export async function matchRecoveryCode(
  input: string,
  stored: readonly { id: number; codeHash: string }[],
): Promise<number | undefined> {
  const code = normaliseRecoveryCode(input);
  if (!code) return undefined;
  const results = await Promise.all(stored.map((s) => verifyPassword(s.codeHash, code)));
  return stored[results.indexOf(true)]?.id;
}
