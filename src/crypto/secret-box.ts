import crypto from 'node:crypto';

// Secrets at rest: AES-256-GCM with a 96-bit random nonce per message and a key derived by HKDF-SHA-256 from a
// configured secret, one key per purpose (staff TOTP secrets from MFA_ENCRYPTION_KEY; the links in emails waiting
// in the outbox from SESSION_SECRET). A context string (e.g. the staff user's id) is bound in as associated
// data, so a ciphertext copied to another row does not decrypt there.
//
// Stored form: 'v1.<nonce>.<ciphertext>.<tag>', each part base64url. The version prefix leaves room to
// rotate the key or the algorithm later.

const VERSION = 'v1';
const HKDF_SALT = 'citizen-services-portal/secret-box';
const TOTP_PURPOSE = 'staff-totp-secret/v1';

export type SecretBox = Readonly<{
  seal(plaintext: string, context: string): string;
  /** The plaintext, or undefined when the value was not sealed by this key for this context. */
  open(sealed: string, context: string): string | undefined;
}>;

/** `purpose` names what the box is for: boxes for different purposes never open each other's values. */
export function createSecretBox(keyMaterial: string, purpose: string = TOTP_PURPOSE): SecretBox {
  if (keyMaterial.length < 16) throw new Error('the key material is too short');
  const key = Buffer.from(crypto.hkdfSync('sha256', keyMaterial, HKDF_SALT, purpose, 32));
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
