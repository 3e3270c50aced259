import type { Currency, Plan, PlanCatalogue } from './api/models';
import { formatCents } from './format';
import { i18n } from './i18n';

export function planPrice(catalogue: PlanCatalogue, plan: Plan, currency: Currency): number {
  let total = 0;
  for (const component of catalogue.components) {
    const size = component.sizes.find((s) => s.id === plan[component.id]);
    if (size) total += size.monthlyPrice[currency];
  }
  return total;
}

/** A plan part's words from the shared catalogue (src/shared/i18n), else the server's English name. */
function word(group: 'components' | 'sizes', id: string, fallback: string): string {
  const key = `plans.${group}.${id}`;
  return i18n.exists(key) ? i18n.t(key as 'plans.sizes.php-s') : fallback;
}

export function componentName(component: { id: string; name: string }): string {
  return word('components', component.id, component.name);
}

export function sizeName(size: { id: string; name: string }): string {
  return word('sizes', size.id, size.name);
}

export function describePlan(catalogue: PlanCatalogue | null, plan: Plan): string {
  if (!catalogue) return Object.values(plan).join(', ');
  return catalogue.components.map((c) => {
    const size = c.sizes.find((s) => s.id === plan[c.id]);
    return i18n.t('plans.part', { component: componentName(c), size: size ? sizeName(size) : plan[c.id] ?? i18n.t('common.none') });
  }).join(' · ');
}

/** Total in one currency, or both when the viewer cannot see the billing contact's currency. */
export function priceText(catalogue: PlanCatalogue, plan: Plan, currency: Currency | null): string {
  if (currency) return formatCents(planPrice(catalogue, plan, currency), currency);
  return i18n.t('plans.eitherCurrency', { eur: formatCents(planPrice(catalogue, plan, 'EUR'), 'EUR'), usd: formatCents(planPrice(catalogue, plan, 'USD'), 'USD') });
}
