import crypto from 'node:crypto';

// References people read out over the phone: no I, O, Q, Z, 0 or 1 (easily confused), 9 random characters and
// a check character (Luhn mod N), shown as ABCD-EFGH-JK. 30^9 ≈ 2 × 10^13 possibilities; the unique index and a
// retry handle the rare collision.
export const REFERENCE_ALPHABET = 'ABCDEFGHJKLMNPRSTUVWXY23456789';
const N = REFERENCE_ALPHABET.length;
const RANDOM_LENGTH = 9;

export function checkCharacter(body: string): string {
  let sum = 0;
  let factor = 2;
  for (let i = body.length - 1; i >= 0; i--) {
    const code = REFERENCE_ALPHABET.indexOf(body[i]!);
    if (code < 0) throw new RangeError(`"${body[i]}" is not in the reference alphabet`);
    const addend = factor * code;
    sum += Math.floor(addend / N) + (addend % N);
    factor = factor === 2 ? 1 : 2;
  }
  return REFERENCE_ALPHABET[(N - (sum % N)) % N]!;
}

export function generateReference(randomInt: (max: number) => number = crypto.randomInt): string {
  let body = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) body += REFERENCE_ALPHABET[randomInt(N)];
  return body + checkCharacter(body);
}

/** What a person typed ("abcd efgh-jk") as a stored reference, or undefined if it cannot be one. */
export function parseReference(input: string): string | undefined {
  const compact = input.toUpperCase().replace(/[\s-]/g, '');
  if (compact.length !== RANDOM_LENGTH + 1 || [...compact].some((c) => !REFERENCE_ALPHABET.includes(c)))
    return undefined;
  return checkCharacter(compact.slice(0, RANDOM_LENGTH)) === compact.slice(RANDOM_LENGTH)
    ? compact
    : undefined;
}

export const formatReference = (reference: string): string =>
  `${reference.slice(0, 4)}-${reference.slice(4, 8)}-${reference.slice(8)}`;
