import {
  formatNationalInsuranceNumber,
  parseNationalInsuranceNumber,
} from '../../../src/questions/formats/national-insurance-number';

describe('parseNationalInsuranceNumber', () => {
  it.each([
    ['JG 10 37 23 A', 'JG103723A'],
    ['JG103723A', 'JG103723A'],
    ['jg103723a', 'JG103723A'],
    ['jg 10-37-23 a', 'JG103723A'],
    ['JG-10-37-23-A', 'JG103723A'],
    ['  JG.10.37.23.A  ', 'JG103723A'],
    ['(JG) 10/37/23 [A]', 'JG103723A'],
    ['JG\u00a010\u00a037\u00a023\u00a0A', 'JG103723A'],
    ['AB 12 34 56 D', 'AB123456D'],
    ['ZY 00 00 00 B', 'ZY000000B'],
    ['OA 99 99 99 C', 'OA999999C'],
  ])('accepts %j and stores %j', (input, value) => {
    expect(parseNationalInsuranceNumber(input)).toEqual({ ok: true, value });
  });

  it.each([
    ['QQ 12 34 56 C', 'the Design System example, whose Q prefix is never used'],
    ['qq123456c', 'the Design System example in lower case'],
    ['QQ-12-34-56-C', 'the Design System example with hyphens'],
    ['DA 12 34 56 A', 'a first letter D'],
    ['FA 12 34 56 A', 'a first letter F'],
    ['IA 12 34 56 A', 'a first letter I'],
    ['UA 12 34 56 A', 'a first letter U'],
    ['VA 12 34 56 A', 'a first letter V'],
    ['AD 12 34 56 A', 'a second letter D'],
    ['AF 12 34 56 A', 'a second letter F'],
    ['AI 12 34 56 A', 'a second letter I'],
    ['AQ 12 34 56 A', 'a second letter Q'],
    ['AU 12 34 56 A', 'a second letter U'],
    ['AV 12 34 56 A', 'a second letter V'],
    ['AO 12 34 56 A', 'a second letter O'],
    ['OO 12 34 56 A', 'the administrative prefix OO'],
    ['BG 12 34 56 A', 'the unused prefix BG'],
    ['GB 12 34 56 A', 'the unused prefix GB'],
    ['KN 12 34 56 A', 'the unused prefix KN'],
    ['NK 12 34 56 A', 'the unused prefix NK'],
    ['NT 12 34 56 A', 'the unused prefix NT'],
    ['TN 12 34 56 A', 'the unused prefix TN'],
    ['ZZ 12 34 56 A', 'the unused prefix ZZ'],
    ['CR 12 34 56 A', 'the administrative prefix CR'],
    ['FY 12 34 56 A', 'the administrative prefix FY'],
    ['MW 12 34 56 A', 'the administrative prefix MW'],
    ['NC 12 34 56 A', 'the administrative prefix NC'],
    ['JG 10 37 23 E', 'the suffix E'],
    ['JG 10 37 23 Z', 'the suffix Z'],
    ['JG 10 37 23', 'no suffix'],
    ['JG 10 37 23 45 A', '8 digits'],
    ['JG 10 37 2 A', '5 digits'],
    ['11 A1 11 11', 'a temporary reference number (TRN)'],
    ['J 10 37 23 A', 'one prefix letter'],
    ['JG 10 37 23 AA', 'two suffix letters'],
    ['\u0410B 12 34 56 C', 'a Cyrillic capital A'],
    ['JG 10 37 23 \u0410', 'a Cyrillic capital A as the suffix'],
    ['JG \uff11\uff10 37 23 A', 'full-width digits'],
    ['JG \u0661\u0660 37 23 A', 'Arabic-Indic digits'],
    ['JG 10 37 23 \u0131', "a Turkish dotless 'ı', which upper-cases to I"],
    ['\u017fG 10 37 23 A', "a long 'ſ', which upper-cases to S"],
    ['JG\u200b103723A', 'a zero-width space'],
    ['JG\u0000103723A', 'a NUL character'],
    ['<script>JG103723A</script>', 'markup around a valid number'],
  ])('refuses %j, %s, as the wrong format', (input) => {
    expect(parseNationalInsuranceNumber(input)).toEqual({ ok: false, reason: 'format' });
  });

  it.each([
    ['nothing', ''],
    ['a space', ' '],
    ['spaces and a tab', '   \t  '],
    ['a non-breaking space', '\u00a0'],
  ])('says %s is empty', (_label, input) => {
    expect(parseNationalInsuranceNumber(input)).toEqual({ ok: false, reason: 'empty' });
  });

  it.each([
    ['101 letters', 'J'.repeat(101)],
    ['10,000 characters of repeated numbers', 'JG103723A'.repeat(1112)],
    ['10,000 hyphens', '-'.repeat(10_000)],
    ['10,000 alternating letters and spaces', 'A '.repeat(5_000)],
  ])('says %s are too long (the length is checked before any pattern is tried)', (_label, input) => {
    expect(parseNationalInsuranceNumber(input)).toEqual({ ok: false, reason: 'too-long' });
  });

  it('accepts a valid number surrounded by a lot of whitespace, because trimming comes first', () => {
    expect(parseNationalInsuranceNumber(`${' '.repeat(5000)}JG103723A${' '.repeat(5000)}`)).toEqual({
      ok: true,
      value: 'JG103723A',
    });
  });

  it.each([[['JG103723A']], [{ toString: (): string => 'JG103723A' }], [null], [undefined]])(
    'refuses %j, which is not a string, as the wrong format',
    (input) => {
      expect(parseNationalInsuranceNumber(input as unknown as string)).toEqual({
        ok: false,
        reason: 'format',
      });
    },
  );
});

describe('formatNationalInsuranceNumber', () => {
  it.each([
    ['QQ123456C', 'QQ 12 34 56 C'],
    ['JG103723A', 'JG 10 37 23 A'],
  ])('shows %j as %j', (value, shown) => {
    expect(formatNationalInsuranceNumber(value)).toBe(shown);
  });

  it('shows a stored value it does not recognise unchanged', () => {
    expect(formatNationalInsuranceNumber('not a NINO')).toBe('not a NINO');
  });

  it('shows what it parsed in the Design System style', () => {
    const parsed = parseNationalInsuranceNumber('jg-103723-a');
    expect(parsed.ok && formatNationalInsuranceNumber(parsed.value)).toBe('JG 10 37 23 A');
  });
});
