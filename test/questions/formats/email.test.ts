import { parseEmail } from '../../../src/questions/formats/email';

// An address of the given length (202 to 264) whose domain labels are all within the 63-character limit.
function addressOfLength(length: number): string {
  const domain = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(length - 201)}.com`;
  const address = `name@${domain}`;
  if (address.length !== length) throw new Error(`built ${address.length} characters, not ${length}`);
  return address;
}

describe('parseEmail', () => {
  it.each([
    ['name@example.com', 'name@example.com', 'the Design System example'],
    ['  name@example.com  ', 'name@example.com', 'surrounding spaces, trimmed'],
    ['Name@Example.COM', 'Name@example.com', 'capitals, lower-cased in the domain only'],
    ['first.last@example.co.uk', 'first.last@example.co.uk', 'full stops and a two-part suffix'],
    ["o'brien@example.org", "o'brien@example.org", 'an apostrophe'],
    ['name+tag@example.net', 'name+tag@example.net', 'a plus tag'],
    ['a@b.io', 'a@b.io', 'one-letter local part and domain'],
    ['user@sub-domain.example.gov.uk', 'user@sub-domain.example.gov.uk', 'a hyphenated subdomain'],
    ['user@123.example.com', 'user@123.example.com', 'a numeric label'],
    ['user@example.test', 'user@example.test', 'a reserved test TLD'],
    ['user@xn--mller-kva.example', 'user@xn--mller-kva.example', 'a domain label in punycode'],
    ['user@example.xn--p1ai', 'user@example.xn--p1ai', 'a TLD in punycode'],
    [`${'a'.repeat(64)}@example.com`, `${'a'.repeat(64)}@example.com`, 'a local part of 64 characters'],
    [addressOfLength(254), addressOfLength(254), 'an address of exactly 254 characters'],
  ])('accepts %j and stores %j: %s', (input, value) => {
    expect(parseEmail(input)).toEqual({ ok: true, value });
  });

  it.each([
    ['name@example', 'no TLD'],
    ['name example@x.com', 'a space'],
    ['a@b@c.com', 'two @ signs'],
    ['x@example.com\r\nBcc: y', 'CR/LF and a header'],
    ['x@example.com\nBcc: y', 'LF and a header'],
    ['x@example.com\tx', 'a tab'],
    ['x@exam\u0000ple.com', 'a NUL character'],
    ['nameexample.com', 'no @'],
    ['@example.com', 'an empty local part'],
    ['name@', 'an empty domain'],
    ['name@.com', 'an empty domain label'],
    ['name@example..com', 'two full stops in the domain'],
    ['name@example.com.', 'a trailing full stop'],
    ['name@-example.com', 'a label starting with a hyphen'],
    ['name@example-.com', 'a label ending with a hyphen'],
    ['name@example.c', 'a one-letter TLD'],
    ['name@example.c0m', 'a TLD with a digit'],
    ['name@example_domain.com', 'an underscore in the domain'],
    ['name@[192.0.2.1]', 'an IP address literal'],
    ['name@192.0.2.1', 'a bare IP address'],
    ['.name@example.com', 'a leading full stop'],
    ['name.@example.com', 'a trailing full stop in the local part'],
    ['na..me@example.com', 'two full stops together'],
    ['"john doe"@example.com', 'a quoted local part'],
    ['<script>@example.com', 'markup'],
    ['name@ex(ample).com', 'brackets'],
    [`${'a'.repeat(65)}@example.com`, 'a local part of 65 characters'],
    [`name@${'a'.repeat(64)}.com`, 'a domain label of 64 characters'],
    ['name@ex\u0430mple.com', "a Cyrillic 'а' in the domain"],
    ['n\u0430me@example.com', "a Cyrillic 'а' in the local part"],
    ['name@m\u00fcller.example', 'an internationalised domain'],
    ['name\uff20example.com', 'a full-width @'],
    ['name@example\u3002com', 'an ideographic full stop'],
    ['name@example.com\u200b', 'a zero-width space'],
    ['name@exam ple.com', 'a space in the domain'],
    ['name@example.com\u00a0x', 'a non-breaking space'],
  ])('refuses %j, %s, as the wrong format', (input) => {
    expect(parseEmail(input)).toEqual({ ok: false, reason: 'format' });
  });

  it.each([
    ['nothing', ''],
    ['spaces', '    '],
    ['CR/LF', '\r\n'],
  ])('says %s is empty', (_label, input) => {
    expect(parseEmail(input)).toEqual({ ok: false, reason: 'empty' });
  });

  it.each([
    ['255 characters', addressOfLength(255)],
    ['10,000 characters', `${'a'.repeat(9_988)}@example.com`],
    ['10,000 characters of full stops and letters', `a@${'a.'.repeat(4_999)}`],
    ['10,000 @ signs', '@'.repeat(10_000)],
  ])('says %s are too long (the length is checked before any pattern is tried)', (_label, input) => {
    expect(parseEmail(input)).toEqual({ ok: false, reason: 'too-long' });
  });

  it.each([
    ['a long run of local-part characters that ends badly', `${'a.'.repeat(31)}a!@@example.com`],
    ['many short labels that end badly', `a@${'a.'.repeat(120)}-`],
    ['a long label of hyphens', `a@a${'-'.repeat(200)}.com`],
  ])(
    'refuses an address just within the limit made of %s (the patterns cannot backtrack super-linearly: the lint checks them)',
    (_label, input) => {
      expect(parseEmail(input)).toEqual({ ok: false, reason: 'format' });
    },
  );

  it('refuses something that is not a string as the wrong format', () => {
    expect(parseEmail({ $gt: '' } as unknown as string)).toEqual({ ok: false, reason: 'format' });
  });
});
