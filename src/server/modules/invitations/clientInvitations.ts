import type { Ctx } from '../../services.js';
import { AppError, notFound } from '../../shared/errors.js';
import { hashToken, newId, newToken, normalizeEmail } from '../../shared/ids.js';
import { accountsRepo } from '../accounts/repo.js';
import type { Actor } from '../accounts/session.js';
import { recordActivity, recordRefusals } from '../activity/record.js';
import { requireApp, type AppContext } from '../apps/access.js';
import { billingRepo } from '../billing/repo.js';
import type { Currency, Plan } from '../plans/catalogue.js';
import { checkPlan, monthlyPrice, type Money } from '../plans/pricing.js';
import type { DbOrTx } from '../../db/client.js';
import { mailClientInvitation } from './mails.js';
import { effectiveState, invitationsRepo, type InvitationRow } from './repo.js';
import { inTransaction, RetryTransaction } from '../../shared/transaction.js';
import { invitations } from '../../db/schema.js';
import { WriteBatch } from '../../db/writeBatch.js';
import { isLanguage, type Language } from '../../../shared/i18n/index.js';

export interface ClientInvitationView {
  id: string; email: string; name?: string; state: string; expiresAt: string; createdAt: string;
  plan: Plan; monthlyPrice: Money; invitedBy: { firstName: string; lastName: string };
  /** The language of the client's mails, when the inviter chose one (ADR 0092). */
  language?: Language;
}

/** The currency the client will most likely pay in: the App's current contact's, or EUR for a trial. */
async function currencyOf(db: DbOrTx, app: AppContext): Promise<Currency> {
  if (app.app.companyId && app.app.billingContactId) {
    const contact = await billingRepo.contact(db, app.app.companyId, app.app.billingContactId);
    if (contact) return contact.currency as Currency;
  }
  return 'EUR';
}

function view(row: InvitationRow, currency: Currency, now: Date, inviter: { firstName: string; lastName: string }): ClientInvitationView {
  const plan = row.plan as Plan;
  return {
    id: row.id, email: row.email, ...(row.clientName ? { name: row.clientName } : {}), state: effectiveState(row, now),
    expiresAt: row.expiresAt.toISOString(), createdAt: row.createdAt.toISOString(), plan, monthlyPrice: monthlyPrice(plan, currency),
    invitedBy: inviter, ...(isLanguage(row.language) ? { language: row.language } : {}),
  };
}

/** The client's mails: the language chosen on the invitation, else the inviter's. */
function mailLanguage(row: { language: string | null }, actor: Actor): Language | null {
  if (isLanguage(row.language)) return row.language;
  return isLanguage(actor.language) ? actor.language : null;
}

/** Handing over is refused from a Company that blocks transfers out (SPEC 4.5). */
export async function assertMayLeaveCompany(tx: DbOrTx, app: AppContext): Promise<void> {
  if (app.company && (await invitationsRepo.companyBlocksTransfersOut(tx, app.company.id))) {
    throw new AppError('transfers_blocked', `"${app.company.name}" blocks transfers out, so its Apps cannot be handed over. An owner can switch this off on the Company page.`);
  }
}

/**
 * A paused App is not handed over (ADR 0124): its open invoice belongs to its current billing
 * contact, and a client would otherwise take over a site that is offline for someone else's debt.
 */
export function assertNotSuspended(app: AppContext): void {
  if (app.app.status === 'suspended') {
    throw new AppError('app_suspended', `"${app.app.name}" is paused until its open invoice is paid. Pay the invoice under Billing first; then you can hand the App over.`, undefined, { reason: 'invite' });
  }
}

export interface InviteClientInput { email: string; name?: string; message?: string; plan: Record<string, string>; language?: Language }

/**
 * SPEC 4.1 steps 1–3: the inviter (trial creator, or owner of the App's Company) offers the
 * App to a client. One open invitation per App (a partial unique index backs it).
 */
export async function inviteClient(ctx: Ctx, actor: Actor, appName: string, input: InviteClientInput): Promise<ClientInvitationView> {
  const now = ctx.clock.now();
  const plan = checkPlan(input.plan);
  const email = normalizeEmail(input.email);
  const token = newToken();
  // Fast path: no earlier invitation of this App is left pending, so nothing needs expiring
  // first. If one is (the one-open-invitation index refuses the insert), the transaction runs
  // again, expiring stale ones before inserting (issue 14: 6 round trips in the usual case).
  let expireFirst = false;
  return recordRefusals(ctx.db, () => inTransaction(ctx.db, async (tx) => {
    const app = await requireApp(tx, now, actor, appName, 'app.handover', { lock: true });
    assertNotSuspended(app);
    await assertMayLeaveCompany(tx, app);
    // The inviter is the signed-in Account, read with this request's session.
    const inviter = { firstName: actor.firstName, lastName: actor.lastName, email: actor.email };
    if (!inviter.firstName.trim() || !inviter.lastName.trim()) {
      throw new AppError('name_required', 'Add your first and last name in your profile first: the client needs to know who invites them.');
    }
    if (email === inviter.email) throw new AppError('validation_failed', 'You cannot hand an App over to yourself; enter your client’s e-mail address.', [{ path: 'email', message: 'This is your own e-mail address.' }]);
    if (expireFirst) await invitationsRepo.expireStale(tx, { appId: app.app.id }, now);
    const expiresAt = new Date(now.getTime() + ctx.config.clientInvitationTtlMs);
    const row: InvitationRow = {
      id: newId('inv'), kind: 'client', tokenHash: hashToken(token), state: 'pending', email, inviterId: actor.id,
      companyId: app.app.companyId, appId: app.app.id, role: null, appNames: null, clientName: input.name?.trim() || null,
      message: input.message?.trim() || null, plan, language: input.language ?? null, expiresAt, createdAt: now, decidedAt: null, acceptedBy: null,
    };
    const currency = await currencyOf(tx, app);
    const other: Currency = currency === 'EUR' ? 'USD' : 'EUR';
    const batch = new WriteBatch(tx);
    batch.addRow(invitations, row);
    await recordActivity(batch, {
      at: now, actor, companyId: app.app.companyId, app: app.app, action: 'handover.invited', category: 'app',
      details: { invitationId: row.id, email, plan },
    });
    await mailClientInvitation(batch, ctx.config, now, {
      to: email, clientName: row.clientName, inviter, appName: app.app.name, price: monthlyPrice(plan, currency),
      // In the language the inviter chose for the client, else the inviter's own (ADR 0070, 0092).
      otherPrice: monthlyPrice(plan, other), message: row.message, expiresAt, token, language: mailLanguage(row, actor), timeZone: actor.timeZone,
    });
    try {
      await batch.flush();
    } catch (err) {
      if (isUniqueViolation(err)) {
        if (!expireFirst) {
          expireFirst = true;
          throw new RetryTransaction('an earlier invitation of this App is still marked pending');
        }
        throw new AppError('invitation_pending_exists', 'This App already has an open invitation. Resend or revoke it before inviting someone else.');
      }
      throw err;
    }
    return view(row, currency, now, inviter);
  }));
}

export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: string }).code === '23505') return true;
  }
  return false;
}

export async function listClientInvitations(ctx: Ctx, actor: Actor, appName: string): Promise<ClientInvitationView[]> {
  const now = ctx.clock.now();
  return recordRefusals(ctx.db, async () => {
    const app = await requireApp(ctx.db, now, actor, appName, 'app.handover');
    const rows = await invitationsRepo.forApp(ctx.db, app.app.id);
    const currency = await currencyOf(ctx.db, app);
    const inviters = new Map<string, { firstName: string; lastName: string }>();
    for (const row of rows) {
      if (!inviters.has(row.inviterId)) {
        const a = await accountsRepo.byId(ctx.db, row.inviterId);
        inviters.set(row.inviterId, { firstName: a?.firstName ?? '', lastName: a?.lastName ?? '' });
      }
    }
    return rows.map((row) => view(row, currency, now, inviters.get(row.inviterId)!));
  });
}

async function loadForApp(tx: DbOrTx, app: AppContext, invitationId: string): Promise<InvitationRow> {
  const row = await invitationsRepo.byId(tx, invitationId);
  if (!row || row.kind !== 'client' || row.appId !== app.app.id) throw notFound('This invitation');
  return row;
}

/** Resend: a new token and a new expiry; the old link stops working. Expired ones can be resent. */
export async function resendClientInvitation(ctx: Ctx, actor: Actor, appName: string, invitationId: string): Promise<ClientInvitationView> {
  const now = ctx.clock.now();
  const token = newToken();
  return recordRefusals(ctx.db, () => inTransaction(ctx.db, async (tx) => {
    const app = await requireApp(tx, now, actor, appName, 'app.handover', { lock: true });
    const current = await loadForApp(tx, app, invitationId);
    assertNotSuspended(app);
    if (!['pending', 'expired'].includes(current.state)) {
      throw new AppError('conflict', `This invitation was ${current.state}; send a new invitation instead.`);
    }
    // Another invitation may have been opened after this one expired.
    await invitationsRepo.expireStale(tx, { appId: app.app.id }, now);
    const expiresAt = new Date(now.getTime() + ctx.config.clientInvitationTtlMs);
    let row: InvitationRow | undefined;
    try {
      row = await invitationsRepo.rotate(tx, current.id, hashToken(token), expiresAt, now);
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('invitation_pending_exists', 'This App already has another open invitation. Revoke it first.');
      throw err;
    }
    if (!row) throw new AppError('conflict', 'This invitation changed in the meantime; reload the page.');
    const inviter = (await accountsRepo.byId(tx, actor.id))!;
    const currency = await currencyOf(tx, app);
    await recordActivity(tx, { at: now, actor, companyId: app.app.companyId, app: app.app, action: 'handover.resent', category: 'app', details: { invitationId: row.id, email: row.email } });
    await mailClientInvitation(tx, ctx.config, now, {
      to: row.email, clientName: row.clientName, inviter, appName: app.app.name, price: monthlyPrice(row.plan as Plan, currency),
      otherPrice: monthlyPrice(row.plan as Plan, currency === 'EUR' ? 'USD' : 'EUR'), message: row.message, expiresAt, token, language: mailLanguage(row, actor), timeZone: actor.timeZone,
    });
    return view(row, currency, now, inviter);
  }));
}

export async function revokeClientInvitation(ctx: Ctx, actor: Actor, appName: string, invitationId: string): Promise<void> {
  const now = ctx.clock.now();
  await recordRefusals(ctx.db, () => inTransaction(ctx.db, async (tx) => {
    const app = await requireApp(tx, now, actor, appName, 'app.handover', { lock: true });
    const current = await loadForApp(tx, app, invitationId);
    const row = await invitationsRepo.transition(tx, current.id, ['pending', 'expired'], 'revoked', now);
    if (!row) throw new AppError('conflict', `This invitation was already ${current.state}.`);
    await recordActivity(tx, { at: now, actor, companyId: app.app.companyId, app: app.app, action: 'handover.revoked', category: 'app', details: { invitationId: row.id, email: row.email } });
  }));
}
