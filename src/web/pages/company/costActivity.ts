import type { ActivityEvent, Currency } from '../../api/models';
import { formatCents } from '../../format';
import { i18n } from '../../i18n';

type Cents = { currency?: unknown; monthlyBeforeCents?: unknown; monthlyAfterCents?: unknown };

/**
 * Issue 17: the amounts of a cost change as an activity line says them ("€16.00 → €42.00 a
 * month, excluding VAT"), from `details.cost` (app.scaled, app.booked) or the details of a
 * cost_request.* event; null for events without amounts.
 */
export function costAmountsLine(event: Pick<ActivityEvent, 'details'>): string | null {
  const details = event.details as Cents & { cost?: Cents };
  const source = details.cost && typeof details.cost === 'object' ? details.cost : details;
  const { currency, monthlyBeforeCents: before, monthlyAfterCents: after } = source;
  if ((currency !== 'EUR' && currency !== 'USD') || typeof before !== 'number' || typeof after !== 'number') return null;
  return i18n.t('cost.web.activity.amounts', { before: formatCents(before, currency as Currency), after: formatCents(after, currency as Currency) });
}
