import { parsePostcode } from '../../../src/questions/formats/postcode';

describe('parsePostcode', () => {
  // The valid list from the bad-input catalogue (docs/security.md#bad-input-catalogue), then the shapes people type.
  it.each([
    ['SW1A 1AA', 'SW1A 1AA'],
    ['sw1a1aa', 'SW1A 1AA'],
    ['EC1A 1BB', 'EC1A 1BB'],
    ['W1A 0AX', 'W1A 0AX'],
    ['M1 1AE', 'M1 1AE'],
    ['CR2 6XH', 'CR2 6XH'],
    ['DN55 1PT', 'DN55 1PT'],
    ['GIR 0AA', 'GIR 0AA'],
    ['BFPO 1234', 'BFPO 1234'],
    ['ASCN 1ZZ', 'ASCN 1ZZ'],
    ['BIQQ 1ZZ', 'BIQQ 1ZZ'],
    ['GX11 1AA', 'GX11 1AA'],
    ['SW1A1AA', 'SW1A 1AA'],
    ['  sw1a   1aa  ', 'SW1A 1AA'],
    ['SW1A-1AA', 'SW1A 1AA'],
    ['(SW1A) 1AA.', 'SW1A 1AA'],
    ['S.W.1.A. 1.A.A.', 'SW1A 1AA'],
    ['S W 1 A 1 A A', 'SW1A 1AA'],
    ['SW1A\u00a01AA', 'SW1A 1AA'],
    ['gir0aa', 'GIR 0AA'],
    ['bfpo 2', 'BFPO 2'],
    ['BFPO105', 'BFPO 105'],
    ['BF1 0AA', 'BF1 0AA'],
    ['bbnd1zz', 'BBND 1ZZ'],
    ['FIQQ 1ZZ', 'FIQQ 1ZZ'],
    ['PCRN 1ZZ', 'PCRN 1ZZ'],
    ['SIQQ 1ZZ', 'SIQQ 1ZZ'],
    ['STHL 1ZZ', 'STHL 1ZZ'],
    ['TDCU 1ZZ', 'TDCU 1ZZ'],
    ['TKCA 1ZZ', 'TKCA 1ZZ'],
    ['N1P 1AA', 'N1P 1AA'],
    ['E14 5AB', 'E14 5AB'],
    ['BT1 1AA', 'BT1 1AA'],
    ['JE2 3AB', 'JE2 3AB'],
  ])('accepts %j and stores %j', (input, value) => {
    expect(parsePostcode(input)).toEqual({ ok: true, value });
  });

  it.each([
    ['SW1A1A', 'one inward letter short (listed as invalid in the catalogue)'],
    ['Q1 1AA', 'a first letter Q (listed as invalid in the catalogue)'],
    ['V1 1AA', 'a first letter V'],
    ['XM4 5HQ', 'a first letter X, even for the Royal Mail non-geographic code'],
    ['AI1 1AA', 'a second letter I'],
    ['AJ1 1AA', 'a second letter J'],
    ['AZ1 1AA', 'a second letter Z'],
    ['W1L 1AA', 'a third-place letter L'],
    ['SW1C 1AA', 'a fourth-place letter C'],
    ['SW1A 1CA', 'an inward letter C'],
    ['SW1A 1AI', 'an inward letter I'],
    ['SW1A 1KA', 'an inward letter K'],
    ['SW1A 1AM', 'an inward letter M'],
    ['SW1A 1OA', 'an inward letter O'],
    ['SW1A 1AV', 'an inward letter V'],
    ['SW1A', 'an outward code only'],
    ['1AA', 'an inward code only'],
    ['SW1A 1AAA', 'an extra letter'],
    ['SW123 1AA', 'three digits in the district'],
    ['SWA1 1AA', 'a letter where the district digit goes'],
    ['SW1A AAA', 'a letter where the sector digit goes'],
    ['SW1A 11A', 'a digit where an inward letter goes'],
    ['GIR 0AB', 'a Girobank look-alike'],
    ['BFPO', 'BFPO with no number'],
    ['BFPO 0', 'BFPO 0'],
    ['BFPO 12345', 'a BFPO number of 5 digits'],
    ['ASCN 2ZZ', 'a territory look-alike'],
    ['AI-2640', 'Anguilla, which is not UK-style'],
    ['KY1-1234', 'the Cayman Islands, which are not UK-style'],
    ['\u0405W1A 1AA', "a Cyrillic 'Ѕ'"],
    ['SW1A 1\u0410A', "a Cyrillic 'А'"],
    ['SW\uff11A 1AA', 'a full-width digit'],
    ['\uff33\uff37\uff11\uff21 \uff11\uff21\uff21', 'a whole full-width postcode'],
    ['\u017fw1a 1aa', "a long 'ſ', which upper-cases to S"],
    ['SW1A\u200b1AA', 'a zero-width space'],
    ['SW1A\u00001AA', 'a NUL character'],
    ['SW1A 1AA\u202e', 'a right-to-left override'],
    ["' OR 1=1--", 'SQL'],
  ])('refuses %j, %s, as the wrong format', (input) => {
    expect(parsePostcode(input)).toEqual({ ok: false, reason: 'format' });
  });

  it.each([
    ['nothing', ''],
    ['spaces and a newline', '  \n '],
  ])('says %s is empty', (_label, input) => {
    expect(parsePostcode(input)).toEqual({ ok: false, reason: 'empty' });
  });

  it.each([
    ['101 characters', 'S'.repeat(101)],
    ['10,000 characters of repeated postcodes', 'SW1A 1AA'.repeat(1250)],
    ['10,000 spaces between the halves', `SW1A${' '.repeat(10_000)}1AA`],
  ])('says %s are too long (the length is checked before any pattern is tried)', (_label, input) => {
    expect(parsePostcode(input)).toEqual({ ok: false, reason: 'too-long' });
  });

  it('refuses something that is not a string as the wrong format', () => {
    expect(parsePostcode({ postcode: 'SW1A 1AA' } as unknown as string)).toEqual({
      ok: false,
      reason: 'format',
    });
  });
});
