import type { SellerConfig } from '../../config.js';
import type { BillingContactRow } from '../billing/repo.js';
import { withVat } from '../billing/quote.js';
import type { Currency } from '../plans/catalogue.js';
import type { Money } from '../plans/pricing.js';

/** A monthly cost as an owner reads it: net, the VAT the invoice will add, and the sum. */
export interface MonthlyCost { net: Money; vat: Money; gross: Money; vatRatePercent: number }

/**
 * The VAT an invoice of this billing contact would add to a monthly net amount: the offer's and
 * the invoice's rules (billing/quote.ts, ADR 0034), so the three never disagree.
 */
export function monthlyCost(seller: SellerConfig, contact: Pick<BillingContactRow, 'country' | 'vatNumber' | 'currency'>, netCents: number): MonthlyCost {
  const { net, vat, gross, vatRate } = withVat(seller, contact, { amount: netCents, currency: contact.currency as Currency });
  return { net, vat, gross, vatRatePercent: vatRate };
}

/** What the activity log keeps of a cost change: before and after, net and gross, in cents. */
export function costDetails(before: MonthlyCost, after: MonthlyCost) {
  return {
    currency: after.net.currency,
    monthlyBeforeCents: before.net.amount, monthlyAfterCents: after.net.amount,
    monthlyBeforeGrossCents: before.gross.amount, monthlyAfterGrossCents: after.gross.amount,
    vatRatePercent: after.vatRatePercent,
  };
}
