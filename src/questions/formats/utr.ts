import { compactAscii, IDENTIFIER_MAX_LENGTH, invalid, trimmed, valid, type FormatResult } from './result';

// Unique Taxpayer Reference: 10 digits, the first of which is a check digit (hmrc/reference-checker).
// What people may type (HMRC design pattern, hmrc/assets-frontend): 10 or 13 digits, with or without spaces,
// with a 'K' at the start or the end (Self Assessment references online). Spaces and punctuation are removed,
// then one leading or trailing K. A 13-digit reference keeps its last 10 digits: the pattern says to remove
// "extra numbers" without saying which, so this is a judgement, and the check digit still has to pass afterwards.

const UTR_WITH_EXTRAS = /^K?(?:[0-9]{3})?([0-9]{10})$|^(?:[0-9]{3})?([0-9]{10})K$/;
const WEIGHTS = [6, 7, 8, 9, 10, 5, 4, 3, 2];
const CHECK_DIGITS = '21987654321';

/** Parses a UTR; the value is its 10 digits, like '2234567890'. */
export function parseUtr(input: string): FormatResult {
  const start = trimmed(input, IDENTIFIER_MAX_LENGTH);
  if (!start.ok) return start;
  const compact = compactAscii(start.text);
  const match = compact === null ? null : UTR_WITH_EXTRAS.exec(compact);
  const utr = match?.[1] ?? match?.[2];
  if (utr === undefined) {
    // Say what is wrong: anything but numbers (and a K), or the wrong number of them.
    // One K at one end is allowed; anything else that is not a number is a wrong character.
    const digits = compact?.replace(/^K(?=[0-9])|(?<=[0-9])K$/, '');
    return digits !== undefined && /^[0-9]+$/.test(digits) ? invalid('length') : invalid('characters');
  }
  if (!hasValidCheckDigit(utr)) return invalid('check');
  return valid(utr);
}

/** Shows a stored UTR as two groups of 5 digits: '2234567890' -> '22345 67890'. */
export function formatUtr(value: string): string {
  return /^[0-9]{10}$/.test(value) ? `${value.slice(0, 5)} ${value.slice(5)}` : value;
}

// Weights 6,7,8,9,10,5,4,3,2 on digits 2 to 10; the sum mod 11 picks the expected first digit from "21987654321".
function hasValidCheckDigit(utr: string): boolean {
  let sum = 0;
  WEIGHTS.forEach((weight, i) => {
    sum += weight * Number(utr[i + 1]);
  });
  return CHECK_DIGITS[sum % 11] === utr[0];
}
