import { compactAscii, IDENTIFIER_MAX_LENGTH, invalid, trimmed, valid, type FormatResult } from './result';

// Vehicle registration mark (number plate), after removing spaces and punctuation and upper-casing. The current,
// prefix and suffix patterns are the community ones checked with DVLA (ZionFox/DVLARegCheck):
// - current (since 2001): 2 letters, 2-digit age identifier (not 00, 01 or 50), 3 letters, like AB51 ABC;
// - prefix (1983 to 2001): 1 letter, 1 to 3 digits, 3 letters, like A123 BCD; with Q as the letter, the
//   mark for a vehicle whose age cannot be determined, like Q123 ABC;
// - suffix (1963 to 1983): 3 letters, 1 to 3 digits, 1 letter, like ABC 123D;
// - dateless and Northern Ireland: 1 to 3 letters and 1 to 4 digits in either order, like 1 A, ABC 1234 or
//   ABZ 1234. Any letters are allowed here, so Northern Ireland's I and Z are, and so are marks a human might
//   think unlikely: the service checks whether a vehicle exists elsewhere, this only checks the shape.
// Numbers never start with 0. Anything else (diplomatic, trade and military plates) is refused.

const CURRENT = /^[A-HJ-PR-Y]{2}(?!00|01|50)[0-9]{2}[A-HJ-PR-Z]{3}$/;
const OTHER_FORMATS = [
  /^[A-HJ-NPR-Y][1-9][0-9]{0,2}[A-HJ-PR-Y]{3}$/, // prefix
  /^Q[1-9][0-9]{0,2}[A-Z]{3}$/, // Q
  /^[A-HJ-PR-Y]{3}[1-9][0-9]{0,2}[A-HJ-NPR-Y]$/, // suffix
  /^[A-Z]{1,3}[1-9][0-9]{0,3}$/, // dateless, letters first, and Northern Ireland
  /^[1-9][0-9]{0,3}[A-Z]{1,3}$/, // dateless, numbers first
];

/** Parses a registration mark; the value is upper case with no spaces, like 'AB51ABC'. */
export function parseVehicleRegistration(input: string): FormatResult {
  const start = trimmed(input, IDENTIFIER_MAX_LENGTH);
  if (!start.ok) return start;
  const vrm = compactAscii(start.text);
  if (vrm === null || vrm.length > 7) return invalid('format');
  return CURRENT.test(vrm) || OTHER_FORMATS.some((format) => format.test(vrm))
    ? valid(vrm)
    : invalid('format');
}

/** Shows a current-format mark with its space, 'AB51ABC' -> 'AB51 ABC'; any other mark as stored. */
export function formatVehicleRegistration(value: string): string {
  return CURRENT.test(value) ? `${value.slice(0, 4)} ${value.slice(4)}` : value;
}
