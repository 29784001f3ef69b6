import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { IDENTIFIER_MAX_LENGTH, invalid, isAscii, trimmed, valid, type FormatResult } from './result';

// Phone number, checked with libphonenumber-js (full "max" metadata) with the UK as the default country.
// - People may type spaces (any kind), hyphens, full stops and brackets, and a +44, 0044 or (0) prefix; anything else,
//   letters included, is refused before the library sees it: the library would otherwise find a number inside
//   any text ('call 07700 900982 now'), turn full-width digits into ASCII ones, and accept extensions.
// - A number is valid when libphonenumber says so, OR when it is in one of the three Ofcom drama ranges that the
//   GOV.UK Design System uses as examples (01632 960xxx, 020 7946 0xxx, 07700 900xxx). The library refuses the
//   01632 and 07700 ones as unallocated; they are accepted so that examples and test data work.
// The value is E.164, like '+447700900982'.

const ALLOWED = /^\+?[0-9 ().-]+$/;
const OFCOM_DRAMA_RANGES = /^\+44(?:1632960|2079460|7700900)[0-9]{3}$/;

const OFCOM_DRAMA_MOBILES = /^\+447700900[0-9]{3}$/;

/**
 * Parses a phone number; the value is E.164, like '+447700900982'. With `kind` 'uk-mobile' the number must also be
 * a UK mobile one (libphonenumber's MOBILE type, +44 7…, or the Ofcom drama mobile range): a landline such as
 * 01904 000000 or a French mobile cannot receive our text messages, so it is 'not-mobile'.
 */
export function parsePhone(input: string, kind: 'any' | 'uk-mobile' = 'any'): FormatResult {
  const start = trimmed(input, IDENTIFIER_MAX_LENGTH);
  if (!start.ok) return start;
  const text = start.text.replace(/\s+/g, ' ');
  if (!isAscii(text) || !ALLOWED.test(text)) return invalid('format');
  const phone = parsePhoneNumberFromString(text, 'GB');
  if (!phone || phone.ext) return invalid('format');
  if (!(phone.isValid() || OFCOM_DRAMA_RANGES.test(phone.number))) return invalid('format');
  if (kind === 'uk-mobile') {
    const mobile =
      OFCOM_DRAMA_MOBILES.test(phone.number) ||
      (phone.countryCallingCode === '44' && phone.getType() === 'MOBILE');
    if (!mobile) return invalid('not-mobile');
  }
  return valid(phone.number);
}

/** Shows a stored number: UK (+44) numbers in national format, like '07700 900982'; others as '+33 1 23 45 67 89'. */
export function formatPhone(value: string): string {
  const phone = parsePhoneNumberFromString(value);
  if (!phone) return value;
  return phone.countryCallingCode === '44' ? phone.formatNational() : phone.formatInternational();
}
