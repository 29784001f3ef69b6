import { formatUtr, parseUtr } from '../../../src/questions/formats/utr';

describe('parseUtr', () => {
  it.each([
    ['2234567890', '2234567890'],
    ['1111111111', '1111111111'],
    ['22345 67890', '2234567890'],
    ['  2 2 3 4 5 6 7 8 9 0  ', '2234567890'],
    ['22345-67890', '2234567890'],
    ['2234567890K', '2234567890'],
    ['2234567890k', '2234567890'],
    ['K2234567890', '2234567890'],
    ['k 22345 67890', '2234567890'],
    ['1232234567890', '2234567890'],
    ['123 22345 67890', '2234567890'],
    ['k1232234567890', '2234567890'],
    ['1232234567890K', '2234567890'],
    ['11111 11111 k', '1111111111'],
  ])('accepts %j and stores %j', (input, value) => {
    expect(parseUtr(input)).toEqual({ ok: true, value });
  });

  it.each([
    ['1234567890', 'the example HMRC shows, whose check digit is wrong'],
    ['2234567891', 'a changed last digit'],
    ['3234567890', 'a changed check digit'],
    ['2234567809', 'two digits swapped'],
    ['1231234567890', '13 digits whose last 10 fail the check'],
  ])('refuses %j, %s, as failing the check digit', (input) => {
    expect(parseUtr(input)).toEqual({ ok: false, reason: 'check' });
  });

  it.each([
    ['223456789', '9 digits'],
    ['22345678901', '11 digits'],
    ['122234567890', '12 digits'],
    ['12342234567890', '14 digits'],
    ['K223456789', '9 digits after a K'],
  ])('refuses %j, %s, as the wrong length', (input) => {
    expect(parseUtr(input)).toEqual({ ok: false, reason: 'length' });
  });

  it.each([
    ['K2234567890K', 'a K at both ends'],
    ['KK2234567890', 'two Ks'],
    ['22345K67890', 'a K in the middle'],
    ['X2234567890', 'a letter other than K'],
    ['2234567890 A', 'a trailing letter other than K'],
    ['\uff12234567890', 'a full-width digit'],
    ['2234567890\u041a', 'a Cyrillic K'],
    ['2234567890\u212a', 'a Kelvin sign, which looks like K'],
  ])('refuses %j, %s, as having characters other than numbers', (input) => {
    expect(parseUtr(input)).toEqual({ ok: false, reason: 'characters' });
  });

  it.each([
    ['nothing', ''],
    ['spaces', '    '],
  ])('says %s is empty', (_label, input) => {
    expect(parseUtr(input)).toEqual({ ok: false, reason: 'empty' });
  });

  it.each([
    ['101 digits', '1'.repeat(101)],
    ['10,000 digits', '2234567890'.repeat(1000)],
    ['10,000 spaces between digits', `2${' '.repeat(10_000)}234567890`],
  ])('says %s are too long (the length is checked before any pattern is tried)', (_label, input) => {
    expect(parseUtr(input)).toEqual({ ok: false, reason: 'too-long' });
  });

  it('refuses something that is not a string as the wrong format', () => {
    expect(parseUtr(['2234567890'] as unknown as string)).toEqual({ ok: false, reason: 'format' });
  });
});

describe('formatUtr', () => {
  it('shows a stored UTR as two groups of 5 digits', () => {
    expect(formatUtr('2234567890')).toBe('22345 67890');
  });

  it('shows a stored value it does not recognise unchanged', () => {
    expect(formatUtr('12345')).toBe('12345');
  });
});
