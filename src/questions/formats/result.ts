// The shared result of every parser in this folder, and the first steps they all take.
//
// A parser turns what a citizen typed into the value we store, or a reason it cannot. The reason is a code, not
// words: the question type that calls the parser chooses the GOV.UK Design System wording.

export type FormatResult =
  | { ok: true; value: string }
  | {
      ok: false;
      /**
       * empty, too-long, format (not the right shape), plus the more precise reasons some parsers give so that the
       * message can say what is actually wrong: characters (letters or symbols where only numbers go), length (the
       * right characters but not the right number of them), check (the shape is right but the check digit is not),
       * not-mobile (a real phone number, but not a UK mobile one).
       */
      reason: 'empty' | 'format' | 'too-long' | 'characters' | 'length' | 'check' | 'not-mobile';
    };

export type FormatFailure = Extract<FormatResult, { ok: false }>;

/** Longest input, after trimming, that any identifier parser will look at. Longer input is 'too-long'. */
export const IDENTIFIER_MAX_LENGTH = 100;

export const valid = (value: string): FormatResult => ({ ok: true, value });
export const invalid = (reason: FormatFailure['reason']): FormatFailure => ({ ok: false, reason });

/**
 * Trims the input and applies the checks every parser starts with: not a string (as a query-string array or
 * object might be, despite the type) is 'format'; nothing but whitespace is 'empty'; more than `maxLength`
 * characters after trimming is 'too-long'. The length check comes before any pattern matching, so later
 * work is bounded however much was sent.
 */
export function trimmed(input: unknown, maxLength: number): { ok: true; text: string } | FormatFailure {
  if (typeof input !== 'string') return invalid('format');
  const text = input.trim();
  if (text === '') return invalid('empty');
  if (text.length > maxLength) return invalid('too-long');
  return { ok: true, text };
}

// Whitespace (any Unicode space, such as a non-breaking space pasted from a letter) and ASCII punctuation.
const SEPARATORS = /[\s!-/:-@[-`{-~]+/g;

/**
 * Removes the spaces and punctuation people put inside identifiers ('QQ 12-34-56 C', '(SW1A) 1AA.'), upper-cases
 * the rest and returns it, or null when anything else is not ASCII. The ASCII check runs before upper-casing
 * because `toUpperCase` turns some non-ASCII letters into ASCII ones ('ı' and 'ſ' become 'I' and 'S'), and
 * look-alikes (Cyrillic 'А', full-width '１') must be refused, never converted.
 */
export function compactAscii(text: string): string | null {
  const compact = text.replace(SEPARATORS, '');
  return isAscii(compact) ? compact.toUpperCase() : null;
}

/** True when every character is in the ASCII range (U+0000 to U+007F). */
export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) return false;
  }
  return true;
}
