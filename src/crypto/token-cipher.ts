// AES-256-GCM for secrets at rest (OAuth installations). The key is TOKEN_ENCRYPTION_KEY: 32 bytes
// as 64 hex characters or base64. Ciphertext format: `v1.<iv>.<tag>.<data>` (base64url parts), so
// a future key rotation can add `v2` without guessing. `aad` binds a ciphertext to its row (e.g. the
// Slack team id): a ciphertext copied onto another row fails to decrypt.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export type TokenCipher = {
  encrypt(plaintext: string, aad?: string): string;
  decrypt(ciphertext: string, aad?: string): string;
};

export class TokenCipherError extends Error {}

export function parseEncryptionKey(key: string): Buffer {
  const buf = /^[0-9a-fA-F]{64}$/.test(key) ? Buffer.from(key, 'hex') : Buffer.from(key, 'base64');
  if (buf.length !== 32) throw new TokenCipherError('TOKEN_ENCRYPTION_KEY must be 32 bytes (64 hex characters or base64)');
  return buf;
}

export function createTokenCipher(key: string | Buffer): TokenCipher {
  const k = typeof key === 'string' ? parseEncryptionKey(key) : key;
  if (k.length !== 32) throw new TokenCipherError('TOKEN_ENCRYPTION_KEY must be 32 bytes');
  return {
    encrypt(plaintext, aad) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', k, iv);
      if (aad) cipher.setAAD(Buffer.from(aad, 'utf8'));
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return ['v1', iv.toString('base64url'), tag.toString('base64url'), data.toString('base64url')].join('.');
    },
    decrypt(ciphertext, aad) {
      const [version, iv, tag, data] = ciphertext.split('.');
      if (version !== 'v1' || !iv || !tag || data === undefined) throw new TokenCipherError('unknown ciphertext format');
      try {
        const decipher = createDecipheriv('aes-256-gcm', k, Buffer.from(iv, 'base64url'));
        if (aad) decipher.setAAD(Buffer.from(aad, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        // Wrong key, tampered data or wrong row: never leak which.
        throw new TokenCipherError('cannot decrypt: wrong key or tampered ciphertext');
      }
    },
  };
}
