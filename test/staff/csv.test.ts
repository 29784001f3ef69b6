import { csvCell, csvLine } from '../../src/staff/csv';

describe('CSV cells', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","x")', `"'=HYPERLINK(""http://evil.example"",""x"")"`],
    ["+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
    ['-2+3', "'-2+3"],
    ['@SUM(1)', "'@SUM(1)"],
    ['\tTAB', "'\tTAB"],
    ['\r\nx', `"'\r\nx"`],
  ])('neutralises a formula: %j becomes %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it.each([
    ['plain', 'plain'],
    ['a, b', '"a, b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['', ''],
  ])('quotes %j as %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('writes null and undefined as empty cells and dates as ISO strings', () => {
    expect(csvLine([null, undefined, new Date('2026-11-30T10:00:00Z'), 3])).toBe(
      ',,2026-11-30T10:00:00.000Z,3\r\n',
    );
  });
});
