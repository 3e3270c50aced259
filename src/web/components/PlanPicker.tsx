import type { Currency, Plan, PlanCatalogue } from '../api/models';
import { formatCents } from '../format';
import { Trans, useTranslation } from 'react-i18next';
import { componentName, priceText, sizeName } from '../pricing';

export { describePlan, planPrice, priceText } from '../pricing';
import { SelectField } from './fields';

/**
 * One select per component (PHP, database, storage), with each size's monthly price, and
 * the live monthly total (aria-live, so screen-reader users hear the new price).
 */
export function PlanPicker({ catalogue, value, onChange, currency, error, legend }: {
  catalogue: PlanCatalogue; value: Plan; onChange: (plan: Plan) => void; currency: Currency | null; error?: string; legend?: string;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="field plan-picker">
      <legend className="field-label">{legend ?? t('plans.legend')}</legend>
      <div className="plan-components">
        {catalogue.components.map((component) => (
          <SelectField key={component.id} label={componentName(component)} name={`plan.${component.id}`} isRequired
            value={value[component.id] ?? ''} onChange={(size) => onChange({ ...value, [component.id]: size })}
            options={component.sizes.map((s) => ({
              value: s.id,
              label: t('plans.sizeOption', { size: sizeName(s), price: currency ? formatCents(s.monthlyPrice[currency], currency) : formatCents(s.monthlyPrice.EUR, 'EUR') }),
            }))} />
        ))}
      </div>
      {error ? <div className="field-error">{error}</div> : null}
      <p className="price-line" aria-live="polite">
        <Trans i18nKey="plans.monthly" values={{ price: priceText(catalogue, value, currency) }} components={{ strong: <strong className="price" /> }} />
        {currency ? <span className="hint"> {t('plans.exVat')}</span> : null}
      </p>
    </fieldset>
  );
}
