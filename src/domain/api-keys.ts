import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new secret key: shown once, stored only as its hash. */
export function mintApiKey(): { id: string; key: string; keyHash: string; keyPrefix: string } {
  const key = `gp_${randomBytes(32).toString('base64url')}`;
  return { id: `key_${randomBytes(12).toString('hex')}`, key, keyHash: hashApiKey(key), keyPrefix: key.slice(0, 10) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Compares two keys in time independent of where they differ. */
export function sameKey(a: string, b: string): boolean {
  const left = Buffer.from(hashApiKey(a), 'hex');
  const right = Buffer.from(hashApiKey(b), 'hex');
  return timingSafeEqual(left, right);
}
