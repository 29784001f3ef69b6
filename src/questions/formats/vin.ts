import { compactAscii, IDENTIFIER_MAX_LENGTH, invalid, trimmed, valid, type FormatResult } from './result';

// Vehicle Identification Number: 17 letters and digits, never I, O or Q (49 CFR 565.4). Spaces, punctuation and
// lower case are accepted and removed. The position-9 check digit is mandatory only under North American rules,
// so it is NOT checked: UK and EU VINs may fail it.

const VIN = /^[A-HJ-NPR-Z0-9]{17}$/;

/** Parses a VIN; the value is 17 upper-case characters, like 'WVWZZZ1JZXW000001'. */
export function parseVin(input: string): FormatResult {
  const start = trimmed(input, IDENTIFIER_MAX_LENGTH);
  if (!start.ok) return start;
  const vin = compactAscii(start.text);
  return vin !== null && VIN.test(vin) ? valid(vin) : invalid('format');
}
