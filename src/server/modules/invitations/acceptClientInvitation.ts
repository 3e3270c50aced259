import { billingContacts, companies, memberships } from '../../db/schema.js';
import { appsRepo } from '../apps/repo.js';
import { WriteBatch } from '../../db/writeBatch.js';
import type { Ctx } from '../../services.js';
import { AppError, notFound } from '../../shared/errors.js';
import { hashToken, newId, normalizeEmail } from '../../shared/ids.js';
import { inTransaction } from '../../shared/transaction.js';
import type { Role } from '../../authz/permissions.js';
import type { Actor } from '../accounts/session.js';
import { sessionsRepo, type SessionRenewal } from '../accounts/repo.js';
import { recordActivity } from '../activity/record.js';
import { newBillingContactRow } from '../billing/contacts.js';
import { checkVat, type BillingContactInput } from '../billing/contactInput.js';
import { changeBillingInBatch } from '../billing/periods.js';
import { billingRepo, type BillingContactRow } from '../billing/repo.js';
import { requireTwoFactorPolicy } from '../companies/access.js';
import { companiesRepo } from '../companies/repo.js';
import type { PaymentMethodInfo } from '../payments/provider.js';
import type { Currency, Plan } from '../plans/catalogue.js';
import { monthlyPrice } from '../plans/pricing.js';
import { planInWords } from '../billing/charges.js';
import { quoteMonthly } from '../billing/quote.js';
import type { AcceptSummary } from './summary.js';

export type { AcceptSummary };
import { addDays, dayOf } from '../../shared/clock.js';
import { mailHandoverDone } from './mails.js';
import { assertPending, findByToken } from './invitee.js';
import { invitationsRepo, type InvitationWithContext } from './repo.js';

export interface AcceptClientInput {
  company?: { name: string } | { id: string };
  billingContact?: BillingContactInput;
  billingContactId?: string;
  paymentMethod?: { token: string };
  consent?: boolean;
}

export interface AcceptResult { company: { id: string; name: string }; app?: { name: string }; summary?: AcceptSummary }

/** The invitee must be the invited person, with a verified e-mail (SPEC 4.1.5). */
export function assertInvitee(actor: Actor, found: InvitationWithContext): void {
  if (!actor.emailVerified) throw new AppError('email_not_verified', 'Confirm your e-mail address first, then open the invitation again.');
  if (normalizeEmail(actor.email) !== found.invitation.email) {
    throw new AppError('email_mismatch', `This invitation was sent to another e-mail address. Sign in with the invited address (you are signed in as ${actor.email}).`);
  }
}

/** A paused App is not taken over (ADR 0124); the invitation stays open for when the invoice is paid. */
const appSuspended = () => new AppError('app_suspended', 'This App is paused until an open invoice of its current billing contact is paid, so it cannot be taken over yet. Your invitation stays open: ask the person who invited you to settle the invoice, then try again.', undefined, { reason: 'handover' });

/**
 * SPEC 4.1 steps 6–9, in one transaction: all of it happens or none. The card is
 * authorised before the transaction (idempotently per invitation), never inside it.
 * With `renewal`, the caller's session gets its new token in the same transaction.
 */
export async function acceptClientInvitation(ctx: Ctx, actor: Actor, token: string | null | undefined, input: AcceptClientInput, looked?: InvitationWithContext, renewal?: SessionRenewal): Promise<AcceptResult> {
  const now = ctx.clock.now();
  // The route has usually just looked the token up; the state is checked again under lock below.
  const found = looked ?? await findByToken(ctx, token);
  if (found.invitation.kind !== 'client') throw new AppError('validation_failed', 'This is a team invitation; accept it with the token only.');
  assertInvitee(actor, found);
  assertPending(found, now);
  // Before any card is authorised; checked again under the App's lock below.
  if (found.app?.status === 'suspended') throw appSuspended();
  const inv = found.invitation;
  if (!input.company) {
    throw new AppError('validation_failed', 'Choose a company: set up a new one or pick one you own.', [{ path: 'company', message: 'Choose a company.' }]);
  }

  let newCompany: { name: string; contact: BillingContactInput; pm: PaymentMethodInfo } | null = null;
  let existing: { id: string; contactId: string | null; newContact: { input: BillingContactInput; pm: PaymentMethodInfo } | null } | null = null;
  if ('name' in input.company) {
    if (!input.billingContact || !input.paymentMethod) {
      throw new AppError('validation_failed', 'Enter the billing details and a payment card for your new company.', [
        ...(!input.billingContact ? [{ path: 'billingContact', message: 'Enter the billing details.' }] : []),
        ...(!input.paymentMethod ? [{ path: 'paymentMethod', message: 'Enter a payment card.' }] : []),
      ]);
    }
    checkVat(input.billingContact.vatNumber, input.billingContact.address.country, 'billingContact.vatNumber');
    const pm = await ctx.payments.authorize(input.paymentMethod.token, `handover:${inv.id}`);
    newCompany = { name: input.company.name, contact: input.billingContact, pm };
  } else {
    const access = await companiesRepo.access(ctx.db, actor.id, input.company.id);
    if (!access) throw notFound('This Company');
    // A Company that requires two-factor takes over no App from an owner without it (ADR 0100).
    requireTwoFactorPolicy(access.company, actor);
    if (access.role !== 'owner') throw new AppError('forbidden', 'Only an owner of that company can take over an App for it. Choose a company you own, or set up a new one.');
    if (input.consent !== true) {
      throw new AppError('validation_failed', `Confirm that ${found.inviter.firstName} ${found.inviter.lastName} will become an admin of "${access.company.name}" and see and change all its Apps.`, [
        { path: 'consent', message: 'Please confirm to continue.' },
      ]);
    }
    let newContact = null;
    if (input.billingContact) {
      if (!input.paymentMethod) throw new AppError('validation_failed', 'Enter a payment card for the new billing contact.', [{ path: 'paymentMethod', message: 'Enter a payment card.' }]);
      checkVat(input.billingContact.vatNumber, input.billingContact.address.country, 'billingContact.vatNumber');
      newContact = { input: input.billingContact, pm: await ctx.payments.authorize(input.paymentMethod.token, `handover:${inv.id}`) };
    }
    existing = { id: input.company.id, contactId: input.billingContactId ?? null, newContact };
  }

  const tokenHash = hashToken(token!);
  return inTransaction(ctx.db, async (tx) => {
    // The clock is read again here: the invitation must be unexpired at commit (SPEC 4.1.7),
    // not only when the card authorisation began, and the day of the handover is the day it commits.
    const at = ctx.clock.now();
    // Locks in the order of docs/decisions/0016-lock-order.md: both Companies (id order), the App, the invitation.
    await companiesRepo.lockAll(tx, [inv.companyId, existing?.id]);

    // 1. The App must still be where it was when the invitation was made (locked first), and
    // 2. the invitation becomes accepted only if still pending, unexpired at this moment and still
    //    this link's (not resent meanwhile): one statement, the App lock taken before the invitation's.
    const { app, accepted } = await invitationsRepo.acceptLockingApp(tx, inv.id, inv.appId!, at, actor.id, tokenHash);
    const stillThere = app && app.companyId === inv.companyId && (app.status !== 'trial' || app.trialAccountId === inv.inviterId);
    if (!accepted) throw new AppError('invitation_invalid', 'This invitation is no longer open: it was used, withdrawn, sent again with a new link, or has expired.', undefined, { reason: 'not_open' });
    if (!app || !stillThere) throw new AppError('invitation_invalid', 'The App of this invitation was deleted or moved, so the invitation no longer works.', undefined, { reason: 'app_gone' });
    // Suspended since the check above (an invoice overdue for 14 days): nothing is taken over,
    // and the rollback leaves the invitation pending.
    if (app.status === 'suspended') throw appSuspended();
    let previousOwners: string[] = [];
    if (inv.companyId) {
      const source = await companiesRepo.lock(tx, inv.companyId);
      if (!source || source.deletedAt) throw new AppError('invitation_invalid', 'The company that owned this App no longer exists.', undefined, { reason: 'company_gone' });
      if (source.blockTransfersOut) throw new AppError('transfers_blocked', `"${source.name}" blocks transfers out at the moment, so the App cannot be handed over. Ask ${found.inviter.firstName} to switch this off.`);
      const inviterAccess = await companiesRepo.access(tx, inv.inviterId, inv.companyId);
      if (inviterAccess?.role !== 'owner') throw new AppError('invitation_invalid', 'The person who invited you can no longer hand this App over.', undefined, { reason: 'inviter_cannot' });
      previousOwners = await companiesRepo.ownerEmails(tx, inv.companyId);
    }

    // From here on the writes go into one batch, sent as one statement before commit (issue 14);
    // reads that decide something still run at once, under the locks taken above.
    const batch = new WriteBatch(tx);

    // 3. The client's Company and billing contact.
    let company: { id: string; name: string };
    let contact: BillingContactRow;
    if (newCompany) {
      company = { id: newId('co'), name: newCompany.name };
      batch.addRow(companies, { id: company.id, name: company.name, createdAt: at });
      // The Company's name on the membership (ADR 0117): the Company is written by the same statement.
      batch.addRow(memberships, { companyId: company.id, accountId: actor.id, role: 'owner', createdAt: at, companyName: company.name });
      const row = newBillingContactRow(company.id, newCompany.contact, newCompany.pm, at);
      batch.addRow(billingContacts, row);
      contact = row;
      await recordActivity(batch, { at, actor, companyId: company.id, action: 'company.created', category: 'company', details: { name: company.name, via: 'handover' } });
      await recordActivity(batch, {
        at, actor, companyId: company.id, action: 'billing_contact.created', category: 'billing',
        details: { contactId: row.id, name: row.name, currency: row.currency, paymentMethod: { brand: newCompany.pm.brand, last4: newCompany.pm.last4 } },
      });
    } else {
      const target = await companiesRepo.lock(tx, existing!.id);
      const access = await companiesRepo.access(tx, actor.id, existing!.id);
      if (!target || target.deletedAt || !access) throw notFound('This Company');
      requireTwoFactorPolicy(target, actor);
      if (access.role !== 'owner') throw new AppError('forbidden', 'Only an owner of that company can take over an App for it.');
      company = { id: target.id, name: target.name };
      if (existing!.newContact) {
        const row = newBillingContactRow(target.id, existing!.newContact.input, existing!.newContact.pm, at);
        batch.addRow(billingContacts, row);
        contact = row;
        await recordActivity(batch, { at, actor, companyId: target.id, action: 'billing_contact.created', category: 'billing', details: { contactId: row.id, name: row.name } });
      } else {
        const chosen = existing!.contactId
          ? await billingRepo.contact(tx, target.id, existing!.contactId, true)
          : (await billingRepo.contacts(tx, target.id, null, 1))[0];
        // A chosen contact that is not the Company's is named as such (not as "no contact yet").
        if (!chosen && existing!.contactId) throw new AppError('validation_failed', `This billing contact is not one of "${target.name}"'s. Choose one of its billing contacts, or add a new one.`, [{ path: 'billingContactId', message: 'Choose one of this company’s billing contacts.' }]);
        if (!chosen) throw new AppError('validation_failed', `"${target.name}" has no billing contact yet; add billing details to continue.`, [{ path: 'billingContact', message: 'Enter the billing details.' }]);
        contact = chosen;
      }
    }

    // 4. The inviter becomes admin, unless already owner or admin there (never there yet in a new Company,
    //    which has no invitations either).
    const inviterThere = newCompany ? undefined : await companiesRepo.access(tx, inv.inviterId, company.id);
    let inviterRole: Role = 'admin';
    if (!inviterThere) {
      batch.addRow(memberships, { companyId: company.id, accountId: inv.inviterId, role: 'admin', createdAt: at, companyName: company.name });
      if (!newCompany) await invitationsRepo.revokePendingTeamFor(tx, company.id, found.inviter.email, at);
      await recordActivity(batch, { at, actor, companyId: company.id, action: 'member.added', category: 'member', details: { accountId: inv.inviterId, email: found.inviter.email, role: 'admin', via: 'handover' } });
    } else if (inviterThere.role === 'owner' || inviterThere.role === 'admin') {
      inviterRole = inviterThere.role;
    } else {
      await companiesRepo.setRole(tx, company.id, inv.inviterId, 'admin');
      await recordActivity(batch, { at, actor, companyId: company.id, action: 'member.role_changed', category: 'member', details: { accountId: inv.inviterId, before: inviterThere.role, after: 'admin', via: 'handover' } });
    }

    // 5. The App moves, with the chosen plan; a trial becomes active. Billing cuts over by day.
    const plan = inv.plan as Plan;
    const currency = contact.currency as Currency;
    // A trial or an active App (a suspended one was refused above) runs on, paid by the client.
    appsRepo.moveInBatch(batch, app.id, { companyId: company.id, billingContactId: contact.id, plan, status: 'active' });
    changeBillingInBatch(batch, app.id, { billingContactId: contact.id, currency, plan }, at);
    // Other open offers of this App end (this one is already accepted, so the update does not touch it).
    invitationsRepo.revokeOpenForAppInBatch(batch, app.id, at);

    const price = monthlyPrice(plan, currency);
    const startDay = addDays(dayOf(at), 1);
    const summary: AcceptSummary = {
      plan, planInWords: planInWords(plan), quote: quoteMonthly(ctx.config.seller, contact, price, startDay),
      card: { brand: contact.pmBrand, last4: contact.pmLast4 },
      billingContact: { name: contact.name, line1: contact.line1, line2: contact.line2, postalCode: contact.postalCode, city: contact.city, country: contact.country, vatNumber: contact.vatNumber },
      billingUrl: `${ctx.config.publicUrl}/companies/${company.id}?tab=billing`,
    };
    const details = { invitationId: inv.id, from: inv.companyId ? { companyId: inv.companyId } : 'trial', to: { companyId: company.id, name: company.name }, plan, monthlyPrice: price, inviterRole };
    await recordActivity(batch, { at, actor, companyId: company.id, app, action: 'handover.accepted', category: 'app', details });
    await recordActivity(batch, { at, actor, companyId: company.id, app, action: 'billing.app_added', category: 'billing', details: { contactId: contact.id, plan, monthlyPrice: price, fromDay: addDays(dayOf(at), 1) } });
    if (inv.companyId) {
      await recordActivity(batch, { at, actor, companyId: inv.companyId, app, action: 'app.handed_over', category: 'app', details });
      await recordActivity(batch, { at, actor, companyId: inv.companyId, app, action: 'billing.app_removed', category: 'billing', details: { throughDay: dayOf(at) } });
    }

    // 6. Mails, sent after commit by the outbox worker. The client is the signed-in Account
    //    (its name and address were read with the session of this request).
    await mailHandoverDone(batch, ctx.config, at, {
      // The client's Account language, else the one the inviter chose for the invitation (ADR 0092).
      client: { firstName: actor.firstName, lastName: actor.lastName, email: actor.email, language: actor.language ?? inv.language }, inviter: found.inviter, appName: app.name,
      companyName: company.name, companyId: company.id, price, payFrom: new Date(`${startDay}T00:00:00Z`), previousOwners, summary,
    });
    // 7. The caller's session, renewed with the handover (the route sets its cookie after commit).
    if (renewal) sessionsRepo.renewInBatch(batch, renewal);
    await batch.flush();
    return { company, app: { name: app.name }, summary };
  });
}
