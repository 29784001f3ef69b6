import {
  formatSecretForDisplay,
  newTotpSecret,
  normaliseTotpCode,
  otpauthUri,
  qrCodeDataUrl,
  timeStepAt,
  totpCodeAt,
  verifyTotp,
} from '../../src/staff/totp';
import { createSecretBox, totpSecretContext } from '../../src/crypto/secret-box';

const AT = new Date('2026-11-30T09:00:10Z'); // 10 seconds into a step
const seconds = (n: number) => new Date(AT.getTime() + n * 1000);

describe('TOTP', () => {
  it('matches the RFC 6238 SHA-1 test vector (6 digits)', async () => {
    // RFC 6238 appendix B: secret "12345678901234567890", T = 59 s gives 94287082 (8 digits).
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect(await totpCodeAt(secret, new Date(59_000))).toBe('287082');
    expect(await verifyTotp(secret, '287082', new Date(59_000), null)).toEqual({ ok: true, step: 1 });
  });

  it('makes 160-bit base32 secrets that differ every time', () => {
    const a = newTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(a);
  });

  it('accepts the current code and returns its time step', async () => {
    const secret = newTotpSecret();
    const code = await totpCodeAt(secret, AT);
    expect(await verifyTotp(secret, code, AT, null)).toEqual({ ok: true, step: timeStepAt(AT) });
  });

  it('allows one step of drift either way, and no more', async () => {
    const secret = newTotpSecret();
    const step = timeStepAt(AT);
    const codeAt = (offsetSeconds: number) => totpCodeAt(secret, seconds(offsetSeconds));
    expect(await verifyTotp(secret, await codeAt(-30), AT, null)).toEqual({ ok: true, step: step - 1 });
    expect(await verifyTotp(secret, await codeAt(30), AT, null)).toEqual({ ok: true, step: step + 1 });
    expect(await verifyTotp(secret, await codeAt(-60), AT, null)).toEqual({ ok: false, reason: 'wrong' });
    expect(await verifyTotp(secret, await codeAt(60), AT, null)).toEqual({ ok: false, reason: 'wrong' });
    expect(await verifyTotp(secret, await codeAt(-90), AT, null)).toEqual({ ok: false, reason: 'wrong' });
  });

  it('refuses a code whose step is not after the last one used', async () => {
    const secret = newTotpSecret();
    const step = timeStepAt(AT);
    const code = await totpCodeAt(secret, AT);
    expect(await verifyTotp(secret, code, AT, step)).toEqual({ ok: false, reason: 'reused' });
    expect(await verifyTotp(secret, code, AT, step + 1)).toEqual({ ok: false, reason: 'reused' });
    expect(await verifyTotp(secret, code, AT, step - 1)).toEqual({ ok: true, step });
    // The previous step's code is refused once the current one has been used.
    expect(await verifyTotp(secret, await totpCodeAt(secret, seconds(-30)), AT, step)).toEqual({
      ok: false,
      reason: 'reused',
    });
  });

  it('refuses anything that is not 6 digits, and ignores spaces and hyphens', async () => {
    const secret = newTotpSecret();
    const code = await totpCodeAt(secret, AT);
    expect(normaliseTotpCode(`${code.slice(0, 3)} ${code.slice(3)}`)).toBe(code);
    expect(normaliseTotpCode(`${code.slice(0, 3)}-${code.slice(3)}`)).toBe(code);
    expect(normaliseTotpCode('12345')).toBeUndefined();
    expect(normaliseTotpCode('1234567')).toBeUndefined();
    expect(normaliseTotpCode('12345a')).toBeUndefined();
    expect(await verifyTotp(secret, `${code}0`, AT, null)).toEqual({ ok: false, reason: 'wrong' });
  });

  it('builds the otpauth URI with the service as issuer, and a QR code as an SVG data URL', async () => {
    const uri = otpauthUri('Government services', 'jo@example.gov.uk', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
    expect(uri).toMatch(/^otpauth:\/\/totp\/Government%20services:jo%40example\.gov\.uk\?/);
    expect(uri).toContain('secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
    expect(uri).toContain('issuer=Government%20services');
    const dataUrl = await qrCodeDataUrl(uri);
    expect(dataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    const svg = Buffer.from(dataUrl.split(',')[1]!, 'base64').toString('utf8');
    expect(svg).toMatch(/^<svg /);
    expect(svg).not.toMatch(/<script/i);
  });

  it('groups the secret in fours for reading and typing', () => {
    expect(formatSecretForDisplay('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')).toBe(
      'JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP',
    );
  });
});

describe('secret box (TOTP secrets at rest)', () => {
  const box = createSecretBox('a-test-key-of-more-than-32-characters-long');
  const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

  it('stores something other than the base32 secret, and opens it again', () => {
    const sealed = box.seal(secret, totpSecretContext(7));
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain(secret);
    expect(box.open(sealed, totpSecretContext(7))).toBe(secret);
  });

  it('uses a fresh nonce each time', () => {
    expect(box.seal(secret, 'x')).not.toBe(box.seal(secret, 'x'));
  });

  it('will not open for another user, another key, or after tampering', () => {
    const sealed = box.seal(secret, totpSecretContext(7));
    expect(box.open(sealed, totpSecretContext(8))).toBeUndefined();
    expect(
      createSecretBox('another-key-of-more-than-32-characters-long').open(sealed, totpSecretContext(7)),
    ).toBeUndefined();
    const parts = sealed.split('.');
    const flipped = parts[2]!.startsWith('A') ? `B${parts[2]!.slice(1)}` : `A${parts[2]!.slice(1)}`;
    expect(box.open([parts[0], parts[1], flipped, parts[3]].join('.'), totpSecretContext(7))).toBeUndefined();
    expect(box.open('not sealed at all', totpSecretContext(7))).toBeUndefined();
  });
});
