import { characterCount, cleanText } from '../../src/questions/sanitise';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('cleanText', () => {
  it.each([
    ['a composed é', '\u00e9', '\u00e9'],
    ['a decomposed e and acute accent', 'e\u0301', '\u00e9'],
    ['a decomposed Welsh ŵ', 'w\u0302', '\u0175'],
    ['Hangul jamo', '\u1100\u1161', '\uac00'],
  ])('normalises %s to NFC', (_what, input, expected) => {
    expect(cleanText(input)).toBe(expected);
  });

  it('makes composed and decomposed spellings of the same name equal', () => {
    expect(cleanText('Ren\u00e9e')).toBe(cleanText('Rene\u0301e'));
  });

  it.each([
    ['a zero-width space', 'e\u200b\u0301'],
    ['a NUL', 'e\u0000\u0301'],
    ['a bidi override', 'e\u202e\u0301'],
    ['a soft hyphen', 'e\u00ad\u0301'],
    ['a C1 control', 'e\u0085\u0301'],
  ])('is NFC even when %s sat between a letter and its accent', (_what, input) => {
    const out = cleanText(input);
    expect(out).toBe('\u00e9');
    expect(out).toBe(out.normalize('NFC'));
  });

  it.each([
    ['zero-width space', '\u200b'],
    ['zero-width non-joiner', '\u200c'],
    ['zero-width joiner', '\u200d'],
    ['left-to-right mark', '\u200e'],
    ['right-to-left mark', '\u200f'],
    ['Arabic letter mark', '\u061c'],
    ['left-to-right embedding', '\u202a'],
    ['right-to-left embedding', '\u202b'],
    ['pop directional formatting', '\u202c'],
    ['left-to-right override', '\u202d'],
    ['right-to-left override', '\u202e'],
    ['word joiner', '\u2060'],
    ['invisible times', '\u2062'],
    ['left-to-right isolate', '\u2066'],
    ['right-to-left isolate', '\u2067'],
    ['first strong isolate', '\u2068'],
    ['pop directional isolate', '\u2069'],
    ['byte order mark', '\ufeff'],
    ['soft hyphen', '\u00ad'],
    ['NUL character', '\u0000'],
    ['bell character', '\u0007'],
    ['backspace', '\u0008'],
    ['escape character', '\u001b'],
    ['delete character', '\u007f'],
    ['C1 control NEL', '\u0085'],
    ['C1 control CSI', '\u009b'],
    ['lone high surrogate', '\ud800'],
    ['lone low surrogate', '\udc00'],
  ])('removes the %s', (_what, char) => {
    expect(cleanText(`a${char}b`)).toBe('ab');
    expect(cleanText(`a${char}b`, { multiline: true })).toBe('ab');
  });

  it('removes every Unicode Bidi_Control character', () => {
    const all = Array.from({ length: 0x10000 }, (_, i) => String.fromCharCode(i))
      .filter((c) => /\p{Bidi_Control}/u.test(c))
      .join('');
    expect(all.length).toBeGreaterThan(0);
    expect(cleanText(`a${all}b`)).toBe('ab');
  });

  it('keeps a surrogate pair whole (an astral character is not a lone surrogate)', () => {
    expect(cleanText('\ud835\udc9c')).toBe('𝒜');
    expect(cleanText('a\ud800\ud835\udc9c\udc00b')).toBe('a𝒜b');
    expect(LONE_SURROGATE.test(cleanText('\udc00\ud800\udc00\ud800'))).toBe(false);
    // Two halves separated by an invisible character must not be rejoined into a pair once it is removed.
    expect(cleanText('a\ud835\u200b\udc9cb')).toBe('ab');
  });

  it.each([
    ['a tab', 'a\tb', 'a b'],
    ['a line feed', 'a\nb', 'a b'],
    ['a CRLF', 'a\r\nb', 'a b'],
    ['a lone CR', 'a\rb', 'a b'],
    ['several breaks and tabs together', 'a\r\n\t\n\nb', 'a b'],
  ])('turns %s in a single-line answer into one space', (_what, input, expected) => {
    expect(cleanText(input)).toBe(expected);
  });

  it.each([
    ['a line feed', 'a\nb', 'a\nb'],
    ['a CRLF', 'a\r\nb', 'a\nb'],
    ['a lone CR', 'a\rb', 'a\nb'],
    ['a blank line between paragraphs', 'a\r\n\r\nb', 'a\n\nb'],
    ['a tab', 'a\tb', 'a\tb'],
  ])('keeps %s in a multi-line answer, with line breaks as LF', (_what, input, expected) => {
    expect(cleanText(input, { multiline: true })).toBe(expected);
  });

  it.each([
    ['spaces', '  Jane Smith  ', 'Jane Smith'],
    ['tabs and newlines', '\t\nJane Smith\r\n', 'Jane Smith'],
    ['no-break spaces', '\u00a0Jane\u00a0', 'Jane'],
    ['a BOM then spaces', '\ufeff  Jane', 'Jane'],
    ['a zero-width space hiding inside the spaces', ' \u200b Jane \u200b ', 'Jane'],
  ])('trims %s from both ends', (_what, input, expected) => {
    expect(cleanText(input)).toBe(expected);
  });

  it('trims a multi-line answer but keeps its inner line breaks', () => {
    expect(cleanText('\r\n  first\r\nsecond  \r\n', { multiline: true })).toBe('first\nsecond');
  });

  it.each([
    ['<script>alert(1)</script>'],
    ['{{7*7}}'],
    ["' OR 1=1--"],
    ['Welsh ŵŷ and Turkish ı'],
    ['O’Brien-Smith'],
  ])('leaves ordinary printable text alone: %j', (input) => {
    expect(cleanText(input)).toBe(input);
  });

  it('returns an empty string for nothing but invisible and control characters', () => {
    expect(cleanText('\u200b\ufeff\u0000\u202e \t')).toBe('');
  });
});

describe('characterCount', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['𝒜', 1],
    ['a𝒜b', 3],
    ['😀😀', 2],
    ['\u00e9', 1],
    ['é'.repeat(10), 10],
  ])('counts %j as %i code points', (input, count) => {
    expect(characterCount(input)).toBe(count);
  });
});
