import {
  formatVehicleRegistration,
  parseVehicleRegistration,
} from '../../../src/questions/formats/vehicle-registration';

describe('parseVehicleRegistration', () => {
  it.each([
    ['AB51 ABC', 'AB51ABC', 'the current format'],
    ['ab51abc', 'AB51ABC', 'the current format in lower case'],
    ['  AB 51 ABC  ', 'AB51ABC', 'the current format with extra spaces'],
    ['AB51-ABC', 'AB51ABC', 'the current format with a hyphen'],
    ['CU57 ABC', 'CU57ABC', 'the Design System example'],
    ['BD10 XYZ', 'BD10XYZ', 'a March age identifier'],
    ['BD60 XYZ', 'BD60XYZ', 'a September age identifier'],
    ['A123 BCD', 'A123BCD', 'the prefix format'],
    ['P7 ABC', 'P7ABC', 'the prefix format with one digit'],
    ['Q123 ABC', 'Q123ABC', 'a Q mark, for a vehicle whose age cannot be determined'],
    ['ABC 123D', 'ABC123D', 'the suffix format'],
    ['ABC 1D', 'ABC1D', 'the suffix format with one digit'],
    ['1A', '1A', 'the shortest dateless mark'],
    ['A 1', 'A1', 'a dateless mark, letters first'],
    ['ABC 1234', 'ABC1234', 'the longest dateless mark'],
    ['1234 AB', '1234AB', 'a dateless mark, numbers first'],
    ['ABZ 1234', 'ABZ1234', 'a Northern Ireland mark'],
    ['IAZ 123', 'IAZ123', 'a Northern Ireland mark with I'],
    ['BIG 1', 'BIG1', 'a Northern Ireland mark with I second'],
  ])('accepts %j and stores %j: %s', (input, value) => {
    expect(parseVehicleRegistration(input)).toEqual({ ok: true, value });
  });

  it.each([
    ['AB00 ABC', 'the age identifier 00'],
    ['AB01 ABC', 'the age identifier 01'],
    ['AB50 ABC', 'the age identifier 50'],
    ['IB51 ABC', 'a current mark starting I'],
    ['AB51 ABCD', 'four letters after a current age identifier'],
    ['A0 ABC', 'a prefix mark numbered 0'],
    ['A1234 BCD', 'a prefix mark with 4 digits'],
    ['ABC 0D', 'a suffix mark numbered 0'],
    ['ABC 0123', 'a dateless mark starting 0'],
    ['ABCD 123', 'four letters then digits'],
    ['ABC 12345', 'five digits'],
    ['ABCDEFG', 'letters only'],
    ['1234567', 'digits only'],
    ['A1B2C3', 'alternating letters and digits'],
    ['AB51 ABC1', 'eight characters'],
    ['\u0410B51 ABC', "a Cyrillic 'А'"],
    ['AB51 \u0410BC', "a Cyrillic 'А' in the random letters"],
    ['AB\uff15\uff11 ABC', 'full-width digits'],
    ['AB51\u200bABC', 'a zero-width space'],
    ['AB51 AB\u00c7', "a 'Ç'"],
  ])('refuses %j, %s, as the wrong format', (input) => {
    expect(parseVehicleRegistration(input)).toEqual({ ok: false, reason: 'format' });
  });

  it.each([
    ['nothing', ''],
    ['spaces', '   '],
  ])('says %s is empty', (_label, input) => {
    expect(parseVehicleRegistration(input)).toEqual({ ok: false, reason: 'empty' });
  });

  it.each([
    ['101 characters', 'A'.repeat(101)],
    ['10,000 characters of repeated marks', 'AB51ABC '.repeat(1250)],
  ])('says %s are too long (the length is checked before any pattern is tried)', (_label, input) => {
    expect(parseVehicleRegistration(input)).toEqual({ ok: false, reason: 'too-long' });
  });

  it('refuses something that is not a string as the wrong format', () => {
    expect(parseVehicleRegistration(['AB51ABC'] as unknown as string)).toEqual({
      ok: false,
      reason: 'format',
    });
  });
});

describe('formatVehicleRegistration', () => {
  it.each([
    ['AB51ABC', 'AB51 ABC', 'a current mark with its space'],
    ['A123BCD', 'A123BCD', 'a prefix mark as stored'],
    ['ABC123D', 'ABC123D', 'a suffix mark as stored'],
    ['ABZ1234', 'ABZ1234', 'a Northern Ireland mark as stored'],
    ['1A', '1A', 'a dateless mark as stored'],
  ])('shows %j as %j: %s', (value, shown) => {
    expect(formatVehicleRegistration(value)).toBe(shown);
  });
});
