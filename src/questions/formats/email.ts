import { invalid, isAscii, trimmed, valid, type FormatResult } from './result';

// Email address: a pragmatic check of the shape, not RFC 5322, because the real test is whether a message arrives.
// - At most 254 characters after trimming ('too-long' beyond that).
// - ASCII only: internationalised addresses are refused, as are look-alike letters in domains ('exаmple.com' with a
//   Cyrillic 'а'). A domain already in its ASCII (punycode, 'xn--') form is fine.
// - No spaces or control characters anywhere, so no CR/LF header injection.
// - Exactly one @. The part before it is 1 to 64 of the characters RFC 5322 allows unquoted (letters, digits and
//   !#$%&'*+/=?^_`{|}~-) and full stops, but not at either end or two together. Quoted forms ("a b"@x.com) are refused.
// - The domain is 2 or more labels of letters, digits and hyphens (not at either end of a label, at most 63
//   characters each), the last of which (the TLD) is 2 or more letters, or punycode.
// The value is the trimmed address with the domain lower-cased; the part before the @ is kept as typed, because
// the receiving mail server may treat its case as significant.

const EMAIL_MAX_LENGTH = 254;
const LOCAL_PART_MAX_LENGTH = 64;

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TOP_LEVEL_DOMAIN = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/** Parses an email address; the value is like 'Name@example.com' (trimmed, domain lower-cased). */
export function parseEmail(input: string): FormatResult {
  const start = trimmed(input, EMAIL_MAX_LENGTH);
  if (!start.ok) return start;
  const text = start.text;
  if (!isAscii(text) || hasSpaceOrControlCharacter(text)) return invalid('format');

  const parts = text.split('@');
  if (parts.length !== 2) return invalid('format');
  const [localPart = '', rawDomain = ''] = parts;
  const domain = rawDomain.toLowerCase();
  if (localPart.length > LOCAL_PART_MAX_LENGTH || !LOCAL_PART.test(localPart)) return invalid('format');

  const labels = domain.split('.');
  const tld = labels[labels.length - 1] ?? '';
  if (
    labels.length < 2 ||
    !labels.every((label) => DOMAIN_LABEL.test(label)) ||
    !TOP_LEVEL_DOMAIN.test(tld)
  ) {
    return invalid('format');
  }
  return valid(`${localPart}@${domain}`);
}

// Space, tab, CR, LF and the other ASCII control characters (U+0000 to U+0020, and DEL).
function hasSpaceOrControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x20 || code === 0x7f) return true;
  }
  return false;
}
