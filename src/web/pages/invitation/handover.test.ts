import { describe, expect, it } from 'vitest';
import { billingContactInput, billingContactProblems, emptyBillingContact } from '../../components/BillingContactFields';
import { expiresIn, personName } from '../../format';

// Issue 4: the wording the handover screens build from the API's answers.
describe('handover helpers', () => {
  const now = Date.parse('2026-11-28T12:00:00Z');
  const at = (hours: number) => new Date(now + hours * 3_600_000).toISOString();

  it('says when an invitation link expires, in plain words', () => {
    // A 72-hour link a few minutes old: 3 days, as the mail says (issue 17 found '2 days' here).
    expect(expiresIn(at(71.9), now)).toBe('expires in 3 days');
    expect(expiresIn(at(60), now)).toBe('expires in 2 days');
    expect(expiresIn(at(48), now)).toBe('expires in 2 days');
    expect(expiresIn(at(47), now)).toBe('expires in 47 hours');
    expect(expiresIn(at(1), now)).toBe('expires in 1 hour');
    expect(expiresIn(at(0.25), now)).toBe('expires in 15 minutes');
    expect(expiresIn(at(0), now)).toBe('expired');
    expect(expiresIn(at(-5), now)).toBe('expired');
    expect(expiresIn('not a date', now)).toBe('');
  });

  it('names the inviter, or falls back to a neutral word', () => {
    expect(personName({ firstName: 'Dana', lastName: 'Developer' })).toBe('Dana Developer');
    expect(personName({ firstName: ' ', lastName: '' })).toBe('Your developer');
    expect(personName(null)).toBe('Your developer');
  });

  it('reports every empty required billing field with the server’s paths', () => {
    const paths = billingContactProblems(emptyBillingContact()).map((p) => p.path);
    expect(paths).toEqual([
      'billingContact.name', 'billingContact.address.line1', 'billingContact.address.postalCode',
      'billingContact.address.city', 'billingContact.address.country', 'billingContact.invoiceEmail',
    ]);
    expect(() => billingContactInput(emptyBillingContact())).toThrow(/correct the fields/);
  });

  it('builds the billing contact without empty optional fields', () => {
    const input = billingContactInput(emptyBillingContact({
      name: ' Bakery ', line1: 'Main St 1', postalCode: '10115', city: 'Berlin', country: 'DE', invoiceEmail: 'a@b.example', currency: 'USD',
    }));
    expect(input).toEqual({
      name: 'Bakery', address: { line1: 'Main St 1', postalCode: '10115', city: 'Berlin', country: 'DE' },
      invoiceEmail: 'a@b.example', currency: 'USD',
    });
  });
});
