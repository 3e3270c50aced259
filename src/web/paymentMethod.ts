import type { BillingContact } from './api/models';
import { cardBrandName } from '../shared/format';
import { i18n } from './i18n';

type Method = NonNullable<BillingContact['paymentMethod']>;

/** Card brands are names; only the generic words are translated. */
function brandName(brand: string): string {
  const lower = brand.toLowerCase();
  if (lower === 'card' || lower === 'sepa_debit') return i18n.t(`company.brands.${lower}`);
  return cardBrandName(brand);
}

/**
 * A payment method in words (SPEC 2: card brand, last 4, expiry; or a SEPA mandate with the
 * masked IBAN): "Visa ending in 4242, expires 08/29", "SEPA Direct Debit, IBAN ending in 3000".
 */
export function paymentMethodText(method: Method): string {
  if (method.type === 'sepa_debit') return i18n.t('company.sepa', { last4: method.last4 });
  const brand = brandName(method.brand ?? method.type);
  return method.expMonth
    ? i18n.t('company.cardExpires', { brand, last4: method.last4, month: String(method.expMonth).padStart(2, '0'), year: String(method.expYear ?? '') })
    : i18n.t('company.card', { brand, last4: method.last4 });
}
