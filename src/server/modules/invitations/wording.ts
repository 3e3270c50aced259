import type { Money } from '../plans/pricing.js';

/** Plain words for people who are not technical: money and moments as they read them. */
export function formatMoney(money: Money): string {
  const amount = (money.amount / 100).toFixed(2);
  return money.currency === 'EUR' ? `€${amount}` : `$${amount}`;
}

export function formatMoment(at: Date): string {
  return at.toLocaleString('en-GB', {
    weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC',
  }) + ' UTC';
}

export function formatDay(at: Date): string {
  return at.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

export function personName(p: { firstName: string; lastName: string; email?: string }): string {
  return `${p.firstName} ${p.lastName}`.trim() || p.email || 'Someone';
}
