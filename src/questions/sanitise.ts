// Canonicalise what a person typed once, before any validation: Unicode NFC, no invisible formatting
// characters (zero-width, bidi overrides, BOM), no control characters (Postgres rejects NUL in text and
// jsonb), no lone surrogates. Multi-line answers keep their line breaks, normalised to \n.

const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u00AD]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_SINGLE_LINE = /[\u0000-\u001F\u007F-\u009F]/g;
// eslint-disable-next-line no-control-regex -- as above, but tabs and line feeds survive
const CONTROL_MULTI_LINE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

export function cleanText(input: string, { multiline = false } = {}): string {
  let s = input.replace(LONE_SURROGATE, '').replace(INVISIBLE, '');
  if (multiline) {
    s = s.replace(/\r\n?/g, '\n').replace(CONTROL_MULTI_LINE, '');
  } else {
    // A pasted tab or line break inside a one-line answer becomes a space, not a hidden character.
    s = s.replace(/[\t\r\n]+/g, ' ').replace(CONTROL_SINGLE_LINE, '');
  }
  // NFC last: removing a character between a letter and its combining accent ('e\u200B\u0301') leaves a
  // decomposed pair that only normalising afterwards composes.
  return s.normalize('NFC').trim();
}

/** Length as a person counts it: code points, so an emoji or 𝒜 is one character, not two. */
export const characterCount = (s: string): number => [...s].length;
