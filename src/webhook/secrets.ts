// A subscription's signing secret: `whsec_` and base64 of random bytes, as Standard Webhooks writes it. Stored
// sealed (AES-256-GCM under a key derived from WEBHOOK_SECRET_KEY, else from the pseudonym key), returned once at
// creation, never logged: a database dump alone does not let anyone sign as the bridge.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export const SECRET_PATTERN = '^whsec_[A-Za-z0-9+/]{32,88}={0,2}$';

export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export interface SecretBox {
  seal(secret: string): Buffer;
  open(sealed: Buffer): string;
}

export function secretBox(keyMaterial: string): SecretBox {
  const key = Buffer.from(hkdfSync('sha256', keyMaterial, 'gcos-zsm-bridge', 'webhook subscription secrets', 32));
  return {
    seal(secret) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    open(sealed) {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
