import type { Currency, Plan, PlanCatalogue } from './api/models';
import { formatCents } from './format';

export function planPrice(catalogue: PlanCatalogue, plan: Plan, currency: Currency): number {
  let total = 0;
  for (const component of catalogue.components) {
    const size = component.sizes.find((s) => s.id === plan[component.id]);
    if (size) total += size.monthlyPrice[currency];
  }
  return total;
}

export function describePlan(catalogue: PlanCatalogue | null, plan: Plan): string {
  if (!catalogue) return Object.values(plan).join(', ');
  return catalogue.components
    .map((c) => `${c.name}: ${c.sizes.find((s) => s.id === plan[c.id])?.name ?? plan[c.id] ?? '—'}`)
    .join(' · ');
}

/** Total in one currency, or both when the viewer cannot see the billing contact's currency. */
export function priceText(catalogue: PlanCatalogue, plan: Plan, currency: Currency | null): string {
  if (currency) return formatCents(planPrice(catalogue, plan, currency), currency);
  return `${formatCents(planPrice(catalogue, plan, 'EUR'), 'EUR')} or ${formatCents(planPrice(catalogue, plan, 'USD'), 'USD')}, depending on the billing contact’s currency`;
}
