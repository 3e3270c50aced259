import type { Currency, Plan, PlanCatalogue } from '../api/models';
import { formatCents } from '../format';
import { priceText } from '../pricing';

export { describePlan, planPrice, priceText } from '../pricing';
import { SelectField } from './fields';

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
