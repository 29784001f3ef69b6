import { compactAscii, IDENTIFIER_MAX_LENGTH, invalid, trimmed, valid, type FormatResult } from './result';

// UK postcode. Spaces, hyphens, brackets, full stops (any punctuation) and lower case are accepted and removed
// (GOV.UK Design System, Addresses). What is left must match, in order of checking:
// 1. GIR 0AA (Girobank), matched explicitly.
// 2. The British overseas territories that use a UK-style postcode ending 1ZZ (Ascension, BIOT, British
//    Antarctic Territory, Falklands, Pitcairn, South Georgia, St Helena, Tristan da Cunha, Turks and Caicos).
//    Gibraltar's GX11 1AA already fits the general pattern. Territories whose codes are not UK-style (Anguilla
//    AI-2640, Bermuda, BVI VG1110, Cayman KY1-1234, Montserrat MSR 1110) are not accepted.
// 3. BFPO and 1 to 4 digits, like 'BFPO 1234', stored as 'BFPO 1234' (a space after BFPO, not before the last 3).
//    The BF1 district that BFPO numbers also have (BFPO 15 = BF1 0AA) fits the general pattern.
// 4. The general pattern, after removing spaces: [A-Z][A-HJ-Y]?[0-9][A-Z0-9]?[0-9][A-Z]{2} (the stricter
//    pattern used by ministryofjustice/laa-apply-for-legal-aid), plus the letter rules of the Government Data
//    Standards Catalogue postcode standard (seen in copies only; they say they "may change"), because the
//    pattern alone accepts 'Q1 1AA':
//    - Q, V and X are never the first letter (so Royal Mail's non-geographic XM4 5HQ is refused);
//    - I, J and Z are never the second letter;
//    - a letter in the third place (as in W1A) is one of A B C D E F G H J K P S T U W (P added for N1P);
//    - a letter in the fourth place (as in SW1A) is one of A B E H M N P R V W X Y;
//    - the last two letters are never C, I, K, M, O or V.
// The value is upper case with exactly one space before the last 3 characters, like 'SW1A 1AA'.

const OVERSEAS_TERRITORIES = new Set([
  'ASCN1ZZ',
  'BBND1ZZ',
  'BIQQ1ZZ',
  'FIQQ1ZZ',
  'PCRN1ZZ',
  'SIQQ1ZZ',
  'STHL1ZZ',
  'TDCU1ZZ',
  'TKCA1ZZ',
]);

const BFPO = /^BFPO([1-9][0-9]{0,3})$/;

const OUTWARD =
  /^(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])$/;
const INWARD = /^[0-9][ABD-HJLNP-UW-Z]{2}$/;

/** Parses a UK postcode; the value is like 'SW1A 1AA', or 'BFPO 1234' for a BFPO number. */
export function parsePostcode(input: string): FormatResult {
  const start = trimmed(input, IDENTIFIER_MAX_LENGTH);
  if (!start.ok) return start;
  const compact = compactAscii(start.text);
  if (compact === null) return invalid('format');

  const bfpo = BFPO.exec(compact);
  if (bfpo) return valid(`BFPO ${bfpo[1]}`);

  if (compact.length < 5 || compact.length > 7) return invalid('format');
  const outward = compact.slice(0, -3);
  const inward = compact.slice(-3);
  const isPostcode =
    compact === 'GIR0AA' ||
    OVERSEAS_TERRITORIES.has(compact) ||
    (OUTWARD.test(outward) && INWARD.test(inward));
  return isPostcode ? valid(`${outward} ${inward}`) : invalid('format');
}
