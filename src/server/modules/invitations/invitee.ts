import { webAddressOf } from '../../../shared/hostname.js';
import type { Ctx } from '../../services.js';
import { AppError } from '../../shared/errors.js';
import { hashToken, normalizeEmail } from '../../shared/ids.js';
import { inTransaction } from '../../shared/transaction.js';
import { recordActivity } from '../activity/record.js';
import type { Currency, Plan } from '../plans/catalogue.js';
import { monthlyPrice, type Money } from '../plans/pricing.js';
import { mailInvitationDeclined, mailNewInvitationRequested } from './mails.js';
import { createTranslator, DEFAULT_LANGUAGE, isLanguage } from '../../../shared/i18n/index.js';
import { effectiveState, invitationsRepo, type InvitationState, type InvitationWithContext } from './repo.js';

export interface InvitationLookup {
  kind: 'client' | 'team';
  state: InvitationState;
  email: string;
  inviter: { firstName: string; lastName: string };
  /** The App offered, with its web address (SPEC 4.13: shown on the offer). */
  app?: { name: string; webAddress: string };
  company?: { name: string };
  role?: string;
  appNames?: string[];
  plan?: Plan;
  monthlyPrice?: Money;
  monthlyPrices?: Record<Currency, Money>;
  clientName?: string;
  message?: string;
  expiresAt: string;
}

const STATE_DETAIL: Record<Exclude<InvitationState, 'pending'>, string> = {
  expired: 'This invitation has expired.',
  accepted: 'This invitation has already been used.',
  revoked: 'This invitation was withdrawn.',
  declined: 'This invitation was declined.',
};

export const UNKNOWN_INVITATION = 'This invitation link is not valid. Check that you copied the whole link from the mail.';
export const SUPERSEDED_INVITATION = 'A newer invitation was sent for this, so this link no longer works. Open the link in the most recent mail.';

/** The invitation of a token, or invitation_invalid. Never says whether the invited e-mail has an Account. */
export async function findByToken(ctx: Ctx, token: string | null | undefined): Promise<InvitationWithContext> {
  if (!token || token.length > 200) throw new AppError('invitation_invalid', UNKNOWN_INVITATION);
  const tokenHash = hashToken(token);
  const found = await invitationsRepo.byTokenHash(ctx.db, tokenHash);
  if (found) return found;
  // A link replaced by "Resend" says so (issue 17); the answer names no one and nothing.
  if (await invitationsRepo.byRetiredTokenHash(ctx.db, tokenHash)) throw new AppError('invitation_invalid', SUPERSEDED_INVITATION, undefined, { reason: 'superseded' });
  throw new AppError('invitation_invalid', UNKNOWN_INVITATION);
}

/** The state the invitee sees: also invalid when the App was deleted or moved meanwhile. */
export function stateOf(found: InvitationWithContext, now: Date): InvitationState {
  const state = effectiveState(found.invitation, now);
  if (state !== 'pending') return state;
  if (found.invitation.kind === 'client') {
    const app = found.app;
    if (!app || app.status === 'deleted' || app.companyId !== found.invitation.companyId) return 'revoked';
  }
  if (found.company?.deletedAt) return 'revoked';
  return state;
}

export function assertPending(found: InvitationWithContext, now: Date): void {
  const state = stateOf(found, now);
  if (state !== 'pending') throw new AppError('invitation_invalid', STATE_DETAIL[state], undefined, { reason: state });
}

export async function lookupInvitation(ctx: Ctx, token: string | null | undefined): Promise<InvitationLookup> {
  const now = ctx.clock.now();
  const found = await findByToken(ctx, token);
  const { invitation: inv } = found;
  const base: InvitationLookup = {
    kind: inv.kind as 'client' | 'team', state: stateOf(found, now), email: inv.email,
    inviter: { firstName: found.inviter.firstName, lastName: found.inviter.lastName },
    ...(found.company ? { company: { name: found.company.name } } : {}),
    expiresAt: inv.expiresAt.toISOString(),
  };
  if (inv.kind === 'team') return { ...base, role: inv.role ?? undefined, ...(inv.appNames?.length ? { appNames: inv.appNames } : {}) };
  const plan = inv.plan as Plan;
  // The currency the App is billed in now (its billing contact's), as the inviter's list and the
  // invitation mail show it (clientInvitations.ts currencyOf); EUR for a trial. Read with the
  // invitation, no query of its own.
  const currency = (found.app?.currency ?? 'EUR') as Currency;
  return {
    ...base,
    ...(found.app ? { app: { name: found.app.name, webAddress: webAddressOf(found.app.name, ctx.config.appsDomain) } } : {}),
    plan, monthlyPrice: monthlyPrice(plan, currency),
    monthlyPrices: { EUR: monthlyPrice(plan, 'EUR'), USD: monthlyPrice(plan, 'USD') },
    ...(inv.clientName ? { clientName: inv.clientName } : {}),
    ...(inv.message ? { message: inv.message } : {}),
  };
}

/** What the invitation was for, in the inviter's language (the mails below go to the inviter). */
function whatOf(found: InvitationWithContext): string {
  const t = createTranslator(isLanguage(found.inviter.language) ? found.inviter.language : DEFAULT_LANGUAGE);
  const role = found.invitation.role;
  return found.invitation.kind === 'client'
    ? t('mail.what.takeOver', { app: found.app?.name ?? t('mail.what.anApp') })
    : t('mail.what.join', { company: found.company?.name ?? t('mail.what.aCompany'), role: role && isRole(role) ? t(`rolesInSentence.${role}`) : (role ?? '') });
}
const ROLE_NAMES = ['owner', 'admin', 'collaborator', 'accountant'] as const;
const isRole = (role: string): role is (typeof ROLE_NAMES)[number] => (ROLE_NAMES as readonly string[]).includes(role);

function manageUrlOf(found: InvitationWithContext): string {
  return found.invitation.kind === 'client' && found.app ? `/apps/${found.app.name}` : `/companies/${found.invitation.companyId}`;
}

/**
 * Declining needs only the token (whoever has the mail may say no); the inviter is told. But a
 * person signed in with another address is not the invitee: 403 email_mismatch (issue 17).
 */
export async function declineInvitation(ctx: Ctx, token: string | null | undefined, signedIn: { email: string } | null = null): Promise<void> {
  const now = ctx.clock.now();
  const found = await findByToken(ctx, token);
  if (signedIn && normalizeEmail(signedIn.email) !== found.invitation.email) {
    throw new AppError('email_mismatch', `This invitation was sent to another e-mail address, so you cannot decline it while signed in as ${signedIn.email}. Sign out first if the invitation is yours.`, undefined, { reason: 'decline' });
  }
  assertPending(found, now);
  await inTransaction(ctx.db, async (tx) => {
    const row = await invitationsRepo.transition(tx, found.invitation.id, ['pending'], 'declined', now, {}, { tokenHash: found.invitation.tokenHash });
    if (!row) throw new AppError('invitation_invalid', 'This invitation is no longer open.', undefined, { reason: 'not_open' });
    await recordActivity(tx, {
      at: now, actor: null, companyId: found.invitation.companyId, app: found.app, action: `${row.kind === 'client' ? 'handover' : 'invitation'}.declined`,
      category: row.kind === 'client' ? 'app' : 'member', details: { invitationId: row.id, email: row.email },
    });
    await mailInvitationDeclined(tx, now, { inviter: found.inviter, email: row.email, what: whatOf(found) });
  });
}

/** "Ask for a new invitation" on a link that no longer works: mails the inviter. */
export async function requestNewInvitation(ctx: Ctx, token: string | null | undefined): Promise<void> {
  const now = ctx.clock.now();
  const found = await findByToken(ctx, token);
  if (stateOf(found, now) === 'pending') throw new AppError('conflict', 'This invitation still works; you can accept it now.');
  if (found.invitation.state === 'accepted') throw new AppError('conflict', 'This invitation has already been accepted.');
  await inTransaction(ctx.db, async (tx) => {
    await recordActivity(tx, {
      at: now, actor: null, companyId: found.invitation.companyId, app: found.app, action: 'invitation.new_requested',
      category: found.invitation.kind === 'client' ? 'app' : 'member', details: { invitationId: found.invitation.id, email: found.invitation.email },
    });
    await mailNewInvitationRequested(tx, ctx.config, now, { inviter: found.inviter, email: found.invitation.email, what: whatOf(found), manageUrl: manageUrlOf(found) });
  });
}
