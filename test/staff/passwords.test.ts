import {
  generateTemporaryPassword,
  hashPassword,
  isCommonPassword,
  passwordProblem,
  UNAMBIGUOUS_ALPHABET,
  verifyAgainstDummy,
  verifyPassword,
} from '../../src/staff/passwords';
import {
  formatRecoveryCode,
  generateRecoveryCodes,
  hashRecoveryCodes,
  matchRecoveryCode,
  normaliseRecoveryCode,
  RECOVERY_CODE_COUNT,
} from '../../src/staff/recovery-codes';

describe('password hashing', () => {
  it('uses argon2id with at least OWASP’s parameters, salted', async () => {
    const a = await hashPassword('a long enough password');
    const b = await hashPassword('a long enough password');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(a).not.toBe(b);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(await verifyPassword(stored, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(stored, 'correct horse battery stapl')).toBe(false);
    expect(await verifyPassword(stored, 'Correct horse battery staple')).toBe(false);
  });

  it('treats the same password typed in composed and decomposed Unicode as the same', async () => {
    const stored = await hashPassword('café au lait 2026'.normalize('NFC'));
    expect(await verifyPassword(stored, 'café au lait 2026'.normalize('NFD'))).toBe(true);
  });

  it('never throws on a stored value that is not a hash', async () => {
    expect(await verifyPassword('not-a-hash', 'anything at all')).toBe(false);
    expect(await verifyPassword('', 'anything at all')).toBe(false);
  });

  it('does the work of a verification for an unknown account, and always fails', async () => {
    expect(await verifyAgainstDummy('whatever the person typed')).toBe(false);
  });
});

describe('password policy', () => {
  it.each([
    ['', 'Enter a password'],
    ['1234567', 'Password must be 8 characters or more'],
    ['x'.repeat(129), 'Password must be 128 characters or fewer'],
    ['password', 'Password is too easy to guess because lots of people use it. Choose a different password'],
    ['PassWord1', 'Password is too easy to guess because lots of people use it. Choose a different password'],
    ['iloveyou', 'Password is too easy to guess because lots of people use it. Choose a different password'],
  ])('refuses %j with “%s”', (password, message) => {
    expect(passwordProblem(password)).toBe(message);
  });

  it('refuses the account’s own email address, whatever its case', () => {
    expect(passwordProblem('Jo.Bloggs@Example.gov.uk', 'jo.bloggs@example.gov.uk')).toBe(
      'Password must not be the same as your email address',
    );
  });

  it.each([
    ['8 characters exactly', 'tqbfjotl'],
    ['128 characters', 'a'.repeat(64) + 'b'.repeat(64)],
    ['only lower case letters and spaces (no composition rules)', 'purple tractor under the sea'],
    ['only digits', '90210468135'],
    ['emoji, each one character', '🦊🦊🦊🦊🦊🦊🦊🦊'],
  ])('accepts %s', (_name, password) => {
    expect(passwordProblem(password, 'someone@example.gov.uk')).toBeUndefined();
  });

  it('uses the common-password list from @zxcvbn-ts/language-common', () => {
    expect(isCommonPassword('123456')).toBe(true);
    expect(isCommonPassword('qwerty')).toBe(true);
    expect(isCommonPassword('purple tractor under the sea')).toBe(false);
  });

  it('generates temporary passwords that pass the policy and are not repeated', () => {
    const passwords = Array.from({ length: 50 }, generateTemporaryPassword);
    expect(new Set(passwords).size).toBe(50);
    for (const p of passwords) {
      expect(p).toMatch(new RegExp(`^([${UNAMBIGUOUS_ALPHABET}]{4}-){3}[${UNAMBIGUOUS_ALPHABET}]{4}$`));
      expect(passwordProblem(p)).toBeUndefined();
    }
  });
});

describe('recovery codes', () => {
  it('generates 10 distinct codes of 10 characters with no look-alike characters', () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of codes) {
      expect(code).toMatch(/^[A-Z2-9]{10}$/);
      expect(code).not.toMatch(/[01ILOU]/);
    }
  });

  it('shows codes in two groups of five and reads them back however they are typed', () => {
    expect(formatRecoveryCode('K7QMX2WA9H')).toBe('K7QMX-2WA9H');
    expect(normaliseRecoveryCode('k7qmx-2wa9h')).toBe('K7QMX2WA9H');
    expect(normaliseRecoveryCode(' K7QMX 2WA9H ')).toBe('K7QMX2WA9H');
    expect(normaliseRecoveryCode('K7QMX-2WA9')).toBeUndefined();
    expect(normaliseRecoveryCode('K7QMO-2WA9H')).toBeUndefined(); // O is not in the alphabet
  });

  it('stores only argon2id hashes, and matches a typed code to its stored hash', async () => {
    const codes = ['K7QMX2WA9H', 'ABCDE23456', 'ZZZZZ99999'];
    const hashes = await hashRecoveryCodes(codes);
    for (const [i, h] of hashes.entries()) {
      expect(h).toMatch(/^\$argon2id\$/);
      expect(h).not.toContain(codes[i]);
    }
    const stored = hashes.map((codeHash, i) => ({ id: i + 100, codeHash }));
    expect(await matchRecoveryCode('abcde-23456', stored)).toBe(101);
    expect(await matchRecoveryCode('ABCDE-23457', stored)).toBeUndefined();
    expect(await matchRecoveryCode('not a code', stored)).toBeUndefined();
  });
});
