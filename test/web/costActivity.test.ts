import { describe, expect, it } from 'vitest';
import { costAmountsLine } from '../../src/web/pages/company/costActivity';
import { describeAction } from '../../src/web/pages/appShared';
import { i18n } from '../../src/web/i18n';

/** Issue 17: an activity line of a cost change names its amounts, in the page's language. */
describe('cost amounts in the activity log', () => {
  it('reads the amounts of a scale, a booking and a cost request; nothing for other events', async () => {
    await i18n.changeLanguage('en');
    expect(costAmountsLine({ details: { cost: { currency: 'EUR', monthlyBeforeCents: 1600, monthlyAfterCents: 4200 } } })).toBe('€16.00 → €42.00 a month, excluding VAT');
    expect(costAmountsLine({ details: { costRequestId: 'x', currency: 'USD', monthlyBeforeCents: 0, monthlyAfterCents: 1900 } })).toBe('$0.00 → $19.00 a month, excluding VAT');
    expect(costAmountsLine({ details: { before: { notes: 'a' } } })).toBeNull();
    expect(costAmountsLine({ details: { currency: 'GBP', monthlyBeforeCents: 1, monthlyAfterCents: 2 } })).toBeNull();
    expect(describeAction('cost_request.approved')).toBe('approved a higher monthly cost');
    await i18n.changeLanguage('de');
    expect(costAmountsLine({ details: { cost: { currency: 'EUR', monthlyBeforeCents: 1600, monthlyAfterCents: 4200 } } })).toBe('16,00\u00a0€ → 42,00\u00a0€ im Monat, zzgl. MwSt.');
    expect(describeAction('company.cost_approval_required')).toBe('lässt Kostensteigerungen vorher freigeben');
    await i18n.changeLanguage('en');
  });
});
