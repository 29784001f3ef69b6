import crypto from 'node:crypto';
import {
  constantTimeEqual,
  generateSecret,
  normalizeHashAlgorithm,
  type Base32Plugin,
  type CryptoPlugin,
} from '@otplib/core';
import { generate, verify } from '@otplib/totp';
import { generateTOTP } from '@otplib/uri';
import type { toString as QrCodeToString } from 'qrcode';

// Time-based one-time codes (RFC 6238) as authenticator apps expect them: SHA-1, 6 digits, 30-second steps.
// The time always comes from the caller (deps.clock), so tests can move it.

export const TOTP_PERIOD_SECONDS = 30;
/** ±1 step of clock drift between the server and the phone, and no more (ASVS 6.5.5). */
const DRIFT_SECONDS = TOTP_PERIOD_SECONDS;

// otplib v13's own defaults (the `otplib` package) load @scure/base, which is ESM-only and cannot be required
// under Jest on Node 20. Its TOTP engine takes plugins, so these two small ones use node:crypto and RFC 4648.
const nodeCrypto: CryptoPlugin = {
  name: 'node',
  hmac: (algorithm, key, data) =>
    new Uint8Array(crypto.createHmac(normalizeHashAlgorithm(algorithm), key).update(data).digest()),
  randomBytes: (length) => new Uint8Array(crypto.randomBytes(length)),
  constantTimeEqual,
};

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const base32: Base32Plugin = {
  name: 'rfc4648',
  encode(data, options) {
    let bits = 0;
    let value = 0;
    let out = '';
    for (const byte of data) {
      value = (value << 8) | byte;
      bits += 8;
      while (bits >= 5) {
        out += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
        bits -= 5;
      }
    }
    if (bits > 0) out += BASE32_ALPHABET[(value << (5 - bits)) & 31];
    return options?.padding ? out.padEnd(Math.ceil(out.length / 8) * 8, '=') : out;
  },
  decode(str) {
    const clean = str.replace(/[\s=-]/g, '').toUpperCase();
    const bytes: number[] = [];
    let bits = 0;
    let value = 0;
    for (const char of clean) {
      const index = BASE32_ALPHABET.indexOf(char);
      if (index < 0) throw new Error('invalid base32 character');
      value = (value << 5) | index;
      bits += 5;
      if (bits >= 8) {
        bytes.push((value >>> (bits - 8)) & 255);
        bits -= 8;
      }
    }
    return new Uint8Array(bytes);
  },
};
const plugins = { crypto: nodeCrypto, base32 } as const;

const epochSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);

/** The 30-second step a moment falls in: the number stored in staff_user.totp_last_step. */
export const timeStepAt = (at: Date): number => Math.floor(epochSeconds(at) / TOTP_PERIOD_SECONDS);

/** A new random secret: 20 bytes (160 bits) from a CSPRNG, base32 as authenticator apps expect. */
export function newTotpSecret(): string {
  return generateSecret({ ...plugins, length: 20 });
}

/** The otpauth:// URI an authenticator app reads from the QR code. */
export function otpauthUri(issuer: string, accountName: string, secret: string): string {
  return generateTOTP({ issuer, label: accountName, secret });
}

/** The QR code of a URI as an <img> source: an SVG data URL, which the CSP allows (img-src data:). */
export async function qrCodeDataUrl(text: string): Promise<string> {
  // Loaded on first use (setting up an authenticator is rare; the library is not small).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
  const { toString: qrCodeToString } = require('qrcode') as { toString: typeof QrCodeToString };
  const svg = await qrCodeToString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

/** The secret in groups of four, for typing it in by hand or hearing it from a screen reader. */
export function formatSecretForDisplay(secret: string): string {
  return (secret.match(/.{1,4}/g) ?? []).join(' ');
}

/** What a person typed, as 6 digits: spaces and hyphens are ignored ('123 456'). Undefined if it is not 6 digits. */
export function normaliseTotpCode(input: string): string | undefined {
  const digits = input.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : undefined;
}

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: 'wrong' | 'reused' };

/**
 * Checks a 6-digit code at a moment, allowing one step either side for clock drift. A code whose step is not
 * after `lastUsedStep` is refused as reused: a code is never accepted twice. On success the caller records
 * `step` (atomically, see recordTotpStep) before treating the person as signed in.
 */
export async function verifyTotp(
  secret: string,
  code: string,
  at: Date,
  lastUsedStep: number | null,
): Promise<TotpCheck> {
  const token = normaliseTotpCode(code);
  if (!token) return { ok: false, reason: 'wrong' };
  const epoch = epochSeconds(at);
  const options = { ...plugins, secret, token, epoch, epochTolerance: DRIFT_SECONDS };
  // Every step the code could belong to (one either side of now) is at or before the last one used.
  if (lastUsedStep !== null && lastUsedStep >= timeStepAt(at) + 1) {
    return (await verify(options)).valid ? { ok: false, reason: 'reused' } : { ok: false, reason: 'wrong' };
  }
  const result = await verify({ ...options, afterTimeStep: lastUsedStep ?? undefined });
  if (result.valid) return { ok: true, step: result.timeStep };
  // Not valid in any unused step: say "reused" when it was valid in a used one, so the person waits for a new code.
  if (lastUsedStep !== null && (await verify(options)).valid) return { ok: false, reason: 'reused' };
  return { ok: false, reason: 'wrong' };
}

/** The code an authenticator app shows at a moment (for tests, the demo and the seed). */
export async function totpCodeAt(secret: string, at: Date): Promise<string> {
  return generate({ ...plugins, secret, epoch: epochSeconds(at) });
}
