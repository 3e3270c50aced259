import type { SellerConfig } from '../../config.js';
import { taxOf } from '../billing/money.js';
import type { BillingContactRow } from '../billing/repo.js';
import { taxTreatment } from '../billing/tax.js';
import { checkVatNumber } from '../billing/vatCheck.js';
import type { Currency } from '../plans/catalogue.js';
import type { Money } from '../plans/pricing.js';

/** A monthly cost as an owner reads it: net, the VAT the invoice will add, and the sum. */
export interface MonthlyCost { net: Money; vat: Money; gross: Money; vatRatePercent: number }

/**
 * The VAT an invoice of this billing contact would add to a monthly net amount: the same
 * rules as the invoice (billing/tax.ts, ADR 0034): a VAT ID counts only when it passes the
 * format check, seller and buyer country decide the rate, rounded half up once.
 */
export function monthlyCost(seller: SellerConfig, contact: Pick<BillingContactRow, 'country' | 'vatNumber' | 'currency'>, netCents: number, at: Date): MonthlyCost {
  const vatValid = contact.vatNumber ? checkVatNumber(contact.vatNumber, contact.country, at).valid : false;
  const treatment = taxTreatment({ country: seller.country, vatNumber: seller.vatId }, { country: contact.country, vatNumber: vatValid ? contact.vatNumber : null });
  const currency = contact.currency as Currency;
  const vat = taxOf(netCents, treatment.rateBasisPoints);
  return {
    net: { amount: netCents, currency }, vat: { amount: vat, currency }, gross: { amount: netCents + vat, currency },
    vatRatePercent: treatment.rateBasisPoints / 100,
  };
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
