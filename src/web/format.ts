/**
 * The formatters pages call outside React hooks, in the current language. Inside components,
 * `useFormat()` from ./i18n does the same and re-renders when the language changes.
 */
import * as shared from '../shared/format';
import type { Currency, Money } from './api/models';
import { currentLanguage, i18n } from './i18n';

export function formatMoney(money: Money | shared.MoneyValue | null | undefined): string {
  return shared.formatMoney(money, currentLanguage());
}

export function formatCents(amount: number, currency: Currency): string {
  return formatMoney({ amount, currency });
}

export function formatDate(iso: string | null | undefined): string {
  return shared.formatDate(iso, currentLanguage());
}

export function formatDateTime(iso: string | null | undefined): string {
  return shared.formatDateTime(iso, currentLanguage());
}

/** "3 days left", "5 hours left", "ended". */
export function timeLeft(iso: string | null | undefined, now = Date.now()): string {
  if (!iso || Number.isNaN(new Date(iso).getTime())) return i18n.t('common.none');
  const duration = shared.formatDuration(iso, currentLanguage(), now);
  return duration ? i18n.t('time.left', { duration }) : i18n.t('time.ended');
}

/** "Dana Developer", or "Your developer" when the name is empty. */
export function personName(p: { firstName: string; lastName: string } | null | undefined): string {
  const name = `${p?.firstName ?? ''} ${p?.lastName ?? ''}`.trim();
  return name || i18n.t('common.yourDeveloper');
}

/** "expires in 2 days", "expires in 5 hours", "expired". */
export function expiresIn(iso: string, now = Date.now()): string {
  if (Number.isNaN(new Date(iso).getTime())) return '';
  const duration = shared.formatDuration(iso, currentLanguage(), now);
  return duration ? i18n.t('time.expiresIn', { duration }) : i18n.t('time.expired');
}
