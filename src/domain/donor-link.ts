import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A monthly donor's manage link token: `<email, base64url>.<expiry, unix seconds>.<HMAC-SHA256>`,
 * signed with a server key. It names one donor email and nothing else; it grants what that
 * email's owner may do (see and change their own monthly donations) until it expires.
 * Verification is constant-time and tells a caller only "valid" or not: tampered, expired and
 * malformed tokens are refused alike.
 */
const TOKEN = /^([A-Za-z0-9_-]{1,400})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

function signatureOf(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(`goalpost-donor-link\n${payload}`).digest();
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function signManageToken(secret: string, email: string, expiresAt: Date): string {
  const payload = `${Buffer.from(normaliseEmail(email)).toString('base64url')}.${Math.floor(expiresAt.getTime() / 1000)}`;
  return `${payload}.${signatureOf(secret, payload).toString('base64url')}`;
}

/** The donor email a token names, or null when it is malformed, forged or expired. */
export function verifyManageToken(secret: string, token: string, now: Date): string | null {
  const match = TOKEN.exec(token);
  if (!match) return null;
  const [, email, expiry, signature] = match as unknown as [string, string, string, string];
  const expected = signatureOf(secret, `${email}.${expiry}`);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  if (Number(expiry) * 1000 <= now.getTime()) return null;
  return Buffer.from(email, 'base64url').toString('utf8');
}

export function manageLinkExpiry(now: Date, ttlDays: number): Date {
  return new Date(now.getTime() + ttlDays * 24 * 3600_000);
}
