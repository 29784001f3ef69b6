import crypto from 'node:crypto';
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import type { dictionary as CommonDictionary } from '@zxcvbn-ts/language-common';

// Staff passwords: argon2id with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane), which are also the
// library's defaults; written out so a change of default can never silently weaken new hashes.
const ARGON2ID = 2 as Algorithm; // Algorithm.Argon2id: a const enum, which per-file transpilers cannot inline
const ARGON2_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

// NIST SP 800-63B §5.1.1.2: normalise Unicode so the same password typed on two keyboards hashes the same.
const normalise = (password: string): string => password.normalize('NFKC');

export async function hashPassword(password: string): Promise<string> {
  return hash(normalise(password), ARGON2_OPTIONS);
}

/** False for a wrong password and for a stored value that is not an argon2 hash; never throws on bad input. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, normalise(password));
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
/**
 * For an email with no account: verify against a hash of a random password, so an unknown email costs the
 * same work as a wrong password and the response time does not reveal which accounts exist.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword(crypto.randomBytes(32).toString('base64url'));
  await verifyPassword(await dummyHash, password);
  return false;
}

// The ~49,000 most common passwords that zxcvbn-ts ships (from breach corpora), compared without case. Loaded
// the first time an administrator sets a password: the list costs about 14 MB of memory that no citizen's
// request needs.
let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  if (!common) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
    const { dictionary } = require('@zxcvbn-ts/language-common') as { dictionary: typeof CommonDictionary };
    common = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  }
  return common;
}

export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(normalise(password).toLowerCase());
}

/**
 * The policy (ASVS 6.2, NCSC): 8 to 128 characters, any characters, no composition rules, not a common
 * password and not the email address. Returns a GOV.UK-style error message, or undefined when it is fine.
 */
export function passwordProblem(password: string, email?: string): string | undefined {
  const length = [...normalise(password)].length;
  if (length === 0) return 'Enter a password';
  if (length < PASSWORD_MIN_LENGTH) return `Password must be ${PASSWORD_MIN_LENGTH} characters or more`;
  if (length > PASSWORD_MAX_LENGTH) return `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`;
  if (email && normalise(password).trim().toLowerCase() === email.trim().toLowerCase()) {
    return 'Password must not be the same as your email address';
  }
  if (isCommonPassword(password)) {
    return 'Password is too easy to guess because lots of people use it. Choose a different password';
  }
  return undefined;
}

// Letters and digits that cannot be mistaken for each other when read aloud or copied by hand.
export const UNAMBIGUOUS_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';

/** `length` characters chosen uniformly from `alphabet` by a CSPRNG. */
export function randomString(length: number, alphabet = UNAMBIGUOUS_ALPHABET): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[crypto.randomInt(alphabet.length)];
  return out;
}

/** A temporary password an administrator passes on: 4 groups of 4 (about 78 bits), e.g. 'K7QM-2XWA-9HTR-P4ZC'. */
export function generateTemporaryPassword(): string {
  return Array.from({ length: 4 }, () => randomString(4)).join('-');
}
