import crypto from 'node:crypto';

// TOTP secrets at rest: AES-256-GCM with a 96-bit random nonce per message and a key derived from
// MFA_ENCRYPTION_KEY by HKDF-SHA-256. A context string (e.g. the staff user's id) is bound in as associated
// data, so a ciphertext copied to another row does not decrypt there.
//
// Stored form: 'v1.<nonce>.<ciphertext>.<tag>', each part base64url. The version prefix leaves room to
// rotate the key or the algorithm later.

const VERSION = 'v1';
const HKDF_SALT = 'citizen-services-portal/secret-box';
const HKDF_INFO = 'staff-totp-secret/v1';

export type SecretBox = Readonly<{
  seal(plaintext: string, context: string): string;
  /** The plaintext, or undefined when the value was not sealed by this key for this context. */
  open(sealed: string, context: string): string | undefined;
}>;

export function createSecretBox(keyMaterial: string): SecretBox {
  if (keyMaterial.length < 16) throw new Error('the MFA encryption key is too short');
  const key = Buffer.from(crypto.hkdfSync('sha256', keyMaterial, HKDF_SALT, HKDF_INFO, 32));
  return {
    seal(plaintext, context) {
      const nonce = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, nonce, ciphertext, tag]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },
    open(sealed, context) {
      const [version, nonce, ciphertext, tag, ...rest] = sealed.split('.');
      if (version !== VERSION || !nonce || !ciphertext || !tag || rest.length > 0) return undefined;
      try {
        const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
        decipher.setAAD(Buffer.from(context, 'utf8'));
        const tagBytes = Buffer.from(tag, 'base64url');
        if (tagBytes.length !== 16) return undefined;
        decipher.setAuthTag(tagBytes);
        return Buffer.concat([
          decipher.update(Buffer.from(ciphertext, 'base64url')),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        return undefined; // wrong key, wrong context or a tampered value
      }
    },
  };
}

/** The context a staff user's TOTP secret is sealed under. */
export const totpSecretContext = (staffUserId: number): string => `staff_user:${staffUserId}:totp_secret`;
