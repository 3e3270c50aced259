import { describe, expect, it } from 'vitest';
import { assertPasswordAcceptable, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordHasher, passwordProblem } from '../../../src/server/modules/accounts/passwords.js';
import { AppError } from '../../../src/server/shared/errors.js';

/**
 * The password rules of SPEC section 5 as a pure function (the HTTP tests in
 * foundation/identity.test.ts show them through sign-up; Better Auth's own length check
 * would hide a broken rule there, so the function is tested on its own too).
 */
describe('password rules (SPEC section 5)', () => {
  it('needs 15 characters, counted as characters, not bytes', () => {
    expect(MIN_PASSWORD_LENGTH).toBe(15);
    expect(passwordProblem('tulip river 14')).toMatch(/at least 15 characters/);
    expect(passwordProblem('tulip river 155')).toBeNull();
    // 14 characters, 28 bytes: still too short; 15 of them: enough.
    expect(passwordProblem('äöüßéàçñøåæœłž')).toMatch(/at least 15/);
    expect(passwordProblem('äöüßéàçñøåæœłžő')).toBeNull();
  });

  it('allows 128 characters and refuses 129', () => {
    expect(MAX_PASSWORD_LENGTH).toBe(128);
    const long = 'lantern meadow copper violin '.repeat(5).slice(0, 128);
    expect(passwordProblem(long)).toBeNull();
    expect(passwordProblem(`${long}x`)).toBe('Use at most 128 characters.');
  });

  it('refuses common passwords whatever their case', () => {
    expect(passwordProblem('passwordpassword')).toMatch(/too common/);
    expect(passwordProblem('PasswordPassword')).toMatch(/too common/);
  });

  it('refuses one character or a chunk of up to 4 repeated, also when the last repeat is cut short', () => {
    for (const weak of ['aaaaaaaaaaaaaaaa', 'abababababababab', 'abcabcabcabcabcab', 'abcdabcdabcdabcd', 'abcdabcdabcdabcdab', 'ABCDabcdABCDabcd']) {
      expect(passwordProblem(weak), weak).toMatch(/too common/);
    }
    // A chunk of five repeated is not treated as a repetition (it is long enough to be a word).
    expect(passwordProblem('abcdeabcdeabcdeabcde')).toBeNull();
    expect(passwordProblem('abcdabcdabcdabce')).toBeNull();
  });

  it('assertPasswordAcceptable throws validation_failed on the named field, and nothing for a good one', () => {
    expect(() => assertPasswordAcceptable('correct horse battery staple')).not.toThrow();
    expect(() => assertPasswordAcceptable('short')).toThrow(expect.objectContaining({ errors: [{ path: 'password', message: passwordProblem('short'), reason: 'password_too_short' }] }));
    try {
      assertPasswordAcceptable('short', 'newPassword');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('validation_failed');
      expect((err as AppError).errors).toEqual([{ path: 'newPassword', message: passwordProblem('short'), reason: 'password_too_short' }]);
    }
  });

  it('hashes with argon2id and verifies only the whole password', async () => {
    const password = 'lantern meadow copper violin';
    const stored = await passwordHasher.hash(password);
    expect(stored).toMatch(/^\$argon2id\$/);
    expect(await passwordHasher.verify({ hash: stored, password })).toBe(true);
    expect(await passwordHasher.verify({ hash: stored, password: password.slice(0, 20) })).toBe(false);
  });
});
