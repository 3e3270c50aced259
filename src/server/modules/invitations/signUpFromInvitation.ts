import type { Ctx } from '../../services.js';
import { AppError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { assertPasswordAcceptable, passwordHasher } from '../accounts/passwords.js';
import { accounts, credentials } from '../../db/schema.js';
import { recordActivity } from '../activity/record.js';
import { isUniqueViolation } from './clientInvitations.js';
import { assertPending, findByToken } from './invitee.js';
import { inTransaction } from '../../shared/transaction.js';
import type { Language } from '../../../shared/i18n/index.js';

export interface InvitationSignUpInput { password: string; firstName: string; lastName: string; language?: Language; timeZone?: string }

/**
 * Signs up from an invitation (SPEC 4.1.5): the e-mail is the invited one, already proven
 * by arriving through the mailed link, so the Account is verified at once. A client
 * invitation makes a `client` Account (no newsletter), a team invitation a `developer` one.
 * The page's language and the browser's zone are kept, so the confirmation mail that follows
 * is in the language the person read the offer in (ADR 0092). Returns the new Account's id;
 * the caller signs it in.
 */
export async function signUpFromInvitation(ctx: Ctx, token: string | null | undefined, input: InvitationSignUpInput): Promise<{ accountId: string }> {
  const now = ctx.clock.now();
  const found = await findByToken(ctx, token);
  assertPending(found, now);
  assertPasswordAcceptable(input.password);
  const firstName = input.firstName.trim();
  const lastName = input.lastName.trim();
  if (!firstName || !lastName) {
    throw new AppError('validation_failed', 'Enter your first and last name.', [
      ...(!firstName ? [{ path: 'firstName', message: 'Enter your first name.' }] : []),
      ...(!lastName ? [{ path: 'lastName', message: 'Enter your last name.' }] : []),
    ]);
  }
  const hash = await passwordHasher.hash(input.password);
  const accountId = newId('acc');
  try {
    await inTransaction(ctx.db, async (tx) => {
      await tx.insert(accounts).values({
        id: accountId, email: found.invitation.email, name: `${firstName} ${lastName}`, emailVerified: true,
        firstName, lastName, accountType: found.invitation.kind === 'client' ? 'client' : 'developer', newsletter: false,
        language: input.language ?? null, timeZone: input.timeZone ?? null,
        createdAt: now, updatedAt: now,
      });
      await tx.insert(credentials).values({
        id: newId('cred'), userId: accountId, accountId, providerId: 'credential', password: hash, createdAt: now, updatedAt: now,
      });
      await recordActivity(tx, {
        at: now, actor: { id: accountId, firstName, lastName, email: found.invitation.email }, companyId: found.invitation.companyId,
        app: found.app, action: 'invitation.signed_up', category: found.invitation.kind === 'client' ? 'app' : 'member',
        details: { invitationId: found.invitation.id },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      // Only the holder of the mailed link gets here, and it is their own address.
      throw new AppError('conflict', 'An account with this e-mail address already exists. Sign in to accept the invitation.');
    }
    throw err;
  }
  return { accountId };
}
