import type { Ctx } from '../../services.js';
import { AppError } from '../../shared/errors.js';
import { addDays, dayOf } from '../../shared/clock.js';
import { isCountry } from '../billing/contactInput.js';
import { quoteMonthly, type Quote } from '../billing/quote.js';
import type { Currency, Plan } from '../plans/catalogue.js';
import { monthlyPrice } from '../plans/pricing.js';
import { findByToken } from './invitee.js';

/**
 * The offer in numbers for one buyer (issue 17): the invitation's plan in the chosen currency,
 * VAT by SPEC 4.8 for the country and VAT number as typed, and the first invoice if accepted
 * today (billing starts tomorrow, as at acceptance). Reads only; any state of the invitation
 * answers, so a page can still explain an expired offer.
 */
export async function quoteInvitation(ctx: Ctx, token: string | null, input: { country: string; vatNumber?: string; currency?: Currency }): Promise<Quote> {
  const found = await findByToken(ctx, token);
  if (found.invitation.kind !== 'client' || !found.invitation.plan) throw new AppError('validation_failed', 'This is a team invitation: joining a team costs nothing.');
  if (!isCountry(input.country)) throw new AppError('validation_failed', 'This is not a country code.', [{ path: 'country', message: 'This is not a country code.' }]);
  const price = monthlyPrice(found.invitation.plan as Plan, input.currency ?? 'EUR');
  return quoteMonthly(ctx.config.seller, { country: input.country, vatNumber: input.vatNumber || null }, price, addDays(dayOf(ctx.clock.now()), 1));
}
