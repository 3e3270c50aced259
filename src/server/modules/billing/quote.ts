/**
 * What a monthly price means for the person who will pay it (issue 17, SPEC 4.8): net, VAT and
 * gross a month for the buyer's country and VAT number, and the first invoice — the days from
 * the start day to the end of that month, issued on the first of the next month by the monthly
 * run (ADR 0037). Pure: the same rules as the invoices (tax.ts, money.ts), so the offer and
 * the invoice never disagree.
 */
import type { SellerConfig } from '../../config.js';
import type { Currency } from '../plans/catalogue.js';
import type { Money } from '../plans/pricing.js';
import { daysBetween, daysInMonth, firstDayOf, lastDayOf, monthOfDay, nextMonth } from './charges.js';
import { prorate, ratePercent, taxOf } from './money.js';
import { taxTreatment, type TaxTreatment } from './tax.js';
import { vatProblem } from './contactInput.js';
import { vatNumberPasses } from './vatCheck.js';

export interface Amounts { net: Money; vat: Money; gross: Money }

export interface Quote {
  /** VAT rate in percent (19, 25.5, 0). */
  vatRate: number;
  treatment: TaxTreatment['reason'];
  monthly: Amounts;
  firstInvoice: { issuedOn: string; fromDay: string; toDay: string; days: number } & Amounts;
  /** Set when a VAT number was given but cannot be right: the quote is then without it. */
  vatNumberProblem: string | null;
}

type Buyer = { country: string; vatNumber?: string | null };

function amounts(netCents: number, rateBasisPoints: number, currency: Currency): Amounts {
  const vat = taxOf(netCents, rateBasisPoints);
  return { net: { amount: netCents, currency }, vat: { amount: vat, currency }, gross: { amount: netCents + vat, currency } };
}

/**
 * The treatment an invoice to this buyer gets (invoiceSnapshot.ts): a VAT ID counts only when
 * it passes the check the invoice stores (vatCheck.ts); one that does not is treated as none.
 */
export function buyerTreatment(seller: Pick<SellerConfig, 'country'>, buyer: Buyer): TaxTreatment {
  const counts = !!buyer.vatNumber && vatNumberPasses(buyer.vatNumber, buyer.country);
  return taxTreatment(seller, { country: buyer.country, vatNumber: counts ? buyer.vatNumber : null });
}

/** A monthly net amount with the VAT an invoice to this buyer would add, and the rate in percent. */
export function withVat(seller: Pick<SellerConfig, 'country'>, buyer: Buyer, net: Money): Amounts & { vatRate: number } {
  const treatment = buyerTreatment(seller, buyer);
  return { ...amounts(net.amount, treatment.rateBasisPoints, net.currency), vatRate: ratePercent(treatment.rateBasisPoints) };
}

export function quoteMonthly(seller: Pick<SellerConfig, 'country'>, buyer: Buyer, monthly: Money, startDay: string): Quote {
  const vatNumberProblem = buyer.vatNumber ? vatProblem(buyer.vatNumber, buyer.country) : null;
  const treatment = buyerTreatment(seller, buyer);
  const month = monthOfDay(startDay);
  const toDay = lastDayOf(month);
  const days = daysBetween(startDay, toDay);
  const firstNet = prorate(monthly.amount, days, daysInMonth(month));
  return {
    vatRate: ratePercent(treatment.rateBasisPoints),
    treatment: treatment.reason,
    monthly: amounts(monthly.amount, treatment.rateBasisPoints, monthly.currency),
    firstInvoice: { issuedOn: firstDayOf(nextMonth(month)), fromDay: startDay, toDay, days, ...amounts(firstNet, treatment.rateBasisPoints, monthly.currency) },
    vatNumberProblem,
  };
}
