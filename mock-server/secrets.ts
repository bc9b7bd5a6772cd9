import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type Database from 'better-sqlite3';

/**
 * SHA-256 (hex) of a secret: what the server stores and compares. Bearer tokens, agent tokens,
 * OFREP keys and the status share token are random (at least 18 bytes), so a fast hash is enough:
 * nothing to guess from a stolen database.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** A fresh secret of `bytes` random bytes, base64url (never from the seeded random source). */
export function newSecret(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

/** Whether `given` is the secret whose hash is `storedHash`, compared in constant time. */
export function matchesHash(given: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(given), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The same hash in SQL (`secret_hash(text)`), for migrations that hash secrets stored in clear. */
export function registerSecretHash(db: Database.Database): void {
  db.function('secret_hash', { deterministic: true }, (secret: unknown) =>
    typeof secret === 'string' ? hashSecret(secret) : null,
  );
}
