import { createHash, randomBytes } from 'node:crypto';

/** Opaque ids: a short prefix for humans reading logs, 128 random bits. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(16).toString('base64url')}`;
}

/** A secret token (invitations): 256 random bits, shown once, stored only as its hash. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** E-mails compare case-insensitively after NFC normalisation (SPEC section 2). */
export function normalizeEmail(email: string): string {
  return email.normalize('NFC').trim().toLowerCase();
}
