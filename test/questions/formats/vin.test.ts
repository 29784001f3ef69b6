import { parseVin } from '../../../src/questions/formats/vin';

describe('parseVin', () => {
  it.each([
    ['1M8GDM9AXKP042788', '1M8GDM9AXKP042788', 'a VIN whose check digit is right'],
    [
      '1M8GDM9A1KP042788',
      '1M8GDM9A1KP042788',
      'a VIN whose check digit is wrong, which UK and EU VINs may be',
    ],
    ['WVWZZZ1JZXW000001', 'WVWZZZ1JZXW000001', 'a European VIN with Z filler and no check digit'],
    ['wvwzzz1jzxw000001', 'WVWZZZ1JZXW000001', 'lower case'],
    ['  WVW ZZZ 1JZ XW 000001 ', 'WVWZZZ1JZXW000001', 'spaces'],
    ['WVW-ZZZ-1JZ-XW-000001', 'WVWZZZ1JZXW000001', 'hyphens'],
    ['12345678901234567', '12345678901234567', 'digits only'],
  ])('accepts %j and stores %j: %s', (input, value) => {
    expect(parseVin(input)).toEqual({ ok: true, value });
  });

  it.each([
    ['WVWZZZ1JZXW00000', '16 characters'],
    ['WVWZZZ1JZXW0000011', '18 characters'],
    ['IVWZZZ1JZXW000001', 'the letter I'],
    ['OVWZZZ1JZXW000001', 'the letter O'],
    ['QVWZZZ1JZXW000001', 'the letter Q'],
    ['ivwzzz1jzxw000001', 'a lower-case i'],
    ['\u0412VWZZZ1JZXW000001', "a Cyrillic 'В'"],
    ['WVWZZZ1JZXW00000\uff11', 'a full-width digit'],
    ['WVWZZZ1JZXW\u200b000001', 'a zero-width space'],
  ])('refuses %j, %s, as the wrong format', (input) => {
    expect(parseVin(input)).toEqual({ ok: false, reason: 'format' });
  });

  it.each([
    ['nothing', ''],
    ['a tab', '\t'],
  ])('says %s is empty', (_label, input) => {
    expect(parseVin(input)).toEqual({ ok: false, reason: 'empty' });
  });

  it.each([
    ['101 characters', 'A'.repeat(101)],
    ['10,000 characters', 'WVWZZZ1JZXW000001'.repeat(589)],
  ])('says %s are too long (the length is checked before any pattern is tried)', (_label, input) => {
    expect(parseVin(input)).toEqual({ ok: false, reason: 'too-long' });
  });

  it('refuses something that is not a string as the wrong format', () => {
    expect(parseVin(17 as unknown as string)).toEqual({ ok: false, reason: 'format' });
  });
});
