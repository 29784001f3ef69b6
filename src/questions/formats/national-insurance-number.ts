import { compactAscii, IDENTIFIER_MAX_LENGTH, invalid, trimmed, valid, type FormatResult } from './result';

// National Insurance number: 2 letters, 6 digits, then A, B, C or D (HMRC National Insurance Manual NIM39110).
// - D, F, I, Q, U and V are never the first or second letter; O is never the second letter. So the Design
//   System's own example, QQ 12 34 56 C, is refused on purpose.
// - The prefixes BG, GB, KN, NK, NT, TN and ZZ are not used.
// - NIM39110 also lists administrative numbers that look like NINOs but "do not use valid prefixes": OO, CR, FY,
//   MW and NC. OO and FY already fail the letter rules; CR, MW and NC are refused here too.
// People may type spaces, hyphens and other punctuation, and lower case: all are removed before checking.

const NINO = /^[ABCEGHJ-PRSTW-Z][ABCEGHJ-NPRSTW-Z][0-9]{6}[A-D]$/;
const UNUSED_PREFIXES = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ', 'CR', 'MW', 'NC']);

/** Parses a National Insurance number; the value is 9 upper-case characters with no spaces, like 'JG103723A'. */
export function parseNationalInsuranceNumber(input: string): FormatResult {
  const start = trimmed(input, IDENTIFIER_MAX_LENGTH);
  if (!start.ok) return start;
  const nino = compactAscii(start.text);
  if (nino === null || !NINO.test(nino) || UNUSED_PREFIXES.has(nino.slice(0, 2))) return invalid('format');
  return valid(nino);
}

/** Shows a stored National Insurance number in pairs, as the Design System does: 'QQ123456C' -> 'QQ 12 34 56 C'. */
export function formatNationalInsuranceNumber(value: string): string {
  if (!/^[A-Z]{2}[0-9]{6}[A-Z]$/.test(value)) return value;
  return `${value.slice(0, 2)} ${value.slice(2, 4)} ${value.slice(4, 6)} ${value.slice(6, 8)} ${value.slice(8)}`;
}
