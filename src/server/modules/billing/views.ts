import type { Currency, Plan } from '../plans/catalogue.js';
import type { ChargeLine } from './charges.js';

export interface MoneyView { amount: number; currency: Currency }

/** API.md `InvoiceLine`. */
export interface InvoiceLineView {
  appName: string; plan: Plan; description: string; fromDay: string; toDay: string; days: number;
  unitPrice: MoneyView; amount: MoneyView;
}

export function money(amount: number, currency: Currency): MoneyView {
  return { amount, currency };
}

export function lineView(line: Pick<ChargeLine, 'appName' | 'plan' | 'description' | 'fromDay' | 'toDay' | 'days' | 'unitPriceCents' | 'amountCents' | 'currency'>): InvoiceLineView {
  return {
    appName: line.appName, plan: line.plan, description: line.description, fromDay: line.fromDay, toDay: line.toDay, days: line.days,
    unitPrice: money(line.unitPriceCents, line.currency), amount: money(line.amountCents, line.currency),
  };
}
