import type { Currency, Plan, PlanCatalogue } from '../api/types';
import { formatCents } from '../format';
import { SelectField } from './fields';

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

/**
 * One select per component (PHP, database, storage), with each size's monthly price, and
 * the live monthly total (aria-live, so screen-reader users hear the new price).
 */
export function PlanPicker({ catalogue, value, onChange, currency, error, legend = 'Size of each part' }: {
  catalogue: PlanCatalogue; value: Plan; onChange: (plan: Plan) => void; currency: Currency | null; error?: string; legend?: string;
}) {
  return (
    <fieldset className="field plan-picker">
      <legend className="field-label">{legend}</legend>
      <div className="plan-components">
        {catalogue.components.map((component) => (
          <SelectField key={component.id} label={component.name} name={`plan.${component.id}`} isRequired
            value={value[component.id] ?? ''} onChange={(size) => onChange({ ...value, [component.id]: size })}
            options={component.sizes.map((s) => ({
              value: s.id,
              label: `${s.name} · ${currency ? formatCents(s.monthlyPrice[currency], currency) : formatCents(s.monthlyPrice.EUR, 'EUR')} a month`,
            }))} />
        ))}
      </div>
      {error ? <div className="field-error">{error}</div> : null}
      <p className="price-line" aria-live="polite">
        Monthly price: <strong className="price">{priceText(catalogue, value, currency)}</strong>
        {currency ? <span className="hint"> (excluding VAT)</span> : null}
      </p>
    </fieldset>
  );
}
