import { readFileSync } from 'node:fs';
import { hash, verify } from '@node-rs/argon2';

/** @node-rs/argon2's Algorithm.Argon2id (a const enum, not importable under isolatedModules). */
const ARGON2ID = 2;
import { AppError } from '../../shared/errors.js';

export const MIN_PASSWORD_LENGTH = 15;
/** With two-factor authentication on (SPEC 5). */
export const MIN_PASSWORD_LENGTH_WITH_2FA = 8;
export const MAX_PASSWORD_LENGTH = 128;

const COMMON = new Set(
  readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#')),
);

/** A password made of one character, or one short chunk repeated, is as weak as the chunk. */
function isRepetition(password: string): boolean {
  for (let size = 1; size <= 4; size++) {
    const chunk = password.slice(0, size);
    if (chunk.repeat(Math.ceil(password.length / size)).slice(0, password.length) === password) return true;
  }
  return false;
}

/**
 * SPEC section 5: at least 15 characters (no second factor yet), at most 128, no
 * composition rules, common passwords refused, never truncated. Returns a message, or null.
 */
export function passwordProblem(password: string, opts: { twoFactor?: boolean } = {}): string | null {
  return passwordIssue(password, opts)?.message ?? null;
}

/** The same check with a stable `reason` for the field problem, which the web words in its language (ADR 0090). */
export function passwordIssue(password: string, opts: { twoFactor?: boolean } = {}): { reason: 'password_too_short' | 'password_too_short_with_two_factor' | 'password_too_long' | 'password_common'; message: string } | null {
  const length = [...password].length;
  const min = opts.twoFactor ? MIN_PASSWORD_LENGTH_WITH_2FA : MIN_PASSWORD_LENGTH;
  if (length < min) return { reason: opts.twoFactor ? 'password_too_short_with_two_factor' : 'password_too_short', message: `Use at least ${min} characters. A few unrelated words make a strong, memorable password.` };
  if (length > MAX_PASSWORD_LENGTH) return { reason: 'password_too_long', message: `Use at most ${MAX_PASSWORD_LENGTH} characters.` };
  const lowered = password.toLowerCase();
  if (COMMON.has(lowered) || isRepetition(lowered)) return { reason: 'password_common', message: 'This password is too common. Choose one that others are unlikely to use.' };
  return null;
}

export function assertPasswordAcceptable(password: string, path = 'password'): void {
  const problem = passwordIssue(password);
  if (problem) throw new AppError('validation_failed', problem.message, [{ path, message: problem.message, reason: problem.reason }]);
}

/** argon2id with @node-rs/argon2's defaults (19 MiB, 2 passes), as OWASP recommends. */
export const passwordHasher = {
  hash: (password: string) => hash(password, { algorithm: ARGON2ID }),
  verify: ({ hash: stored, password }: { hash: string; password: string }) => verify(stored, password),
};
