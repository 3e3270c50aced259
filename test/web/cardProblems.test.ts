import { afterEach, describe, expect, it } from 'vitest';
import { cardProblems } from '../../src/web/card';
import { billingContactProblems, emptyBillingContact } from '../../src/web/components/BillingContactFields';
import { i18n } from '../../src/web/i18n';

/** Issue 17: the card form's own checks speak the page's language. */
afterEach(async () => { await i18n.changeLanguage('en'); });

const empty = { number: '12', expiry: '13/29', cvc: 'x' };

describe('card form problems', () => {
  it('English page: the three fields in English', () => {
    expect(cardProblems(empty)).toEqual([
      { path: 'card.number', message: 'Enter the 12 to 19 digits of the card number.' },
      { path: 'card.expiry', message: 'Enter the expiry date as MM/YY, like 08/29.' },
      { path: 'card.cvc', message: 'Enter the 3 or 4 digits on the back of the card.' },
    ]);
  });

  it('German page: the same problems in German', async () => {
    await i18n.changeLanguage('de');
    expect(cardProblems(empty).map((p) => p.message)).toEqual([
      'Geben Sie die 12 bis 19 Ziffern der Kartennummer ein.',
      'Geben Sie das Ablaufdatum als MM/JJ ein, zum Beispiel 08/29.',
      'Geben Sie die 3 oder 4 Ziffern auf der Rückseite der Karte ein.',
    ]);
  });

  it('a valid card has no problems', () => {
    expect(cardProblems({ number: '4242 4242 4242 4242', expiry: '08/29', cvc: '123' })).toEqual([]);
  });
});

describe('billing contact problems', () => {
  const draft = { ...emptyBillingContact(), name: 'Bäckerei', line1: 'Hauptstraße 1', postalCode: '10115', city: 'Berlin', country: 'DE', invoiceEmail: 'rechnung at example' };

  it('a malformed invoice address is refused before sending, in the page’s language', async () => {
    expect(billingContactProblems(draft)).toEqual([{ path: 'billingContact.invoiceEmail', message: 'Enter a valid e-mail address, like billing@example.com.' }]);
    await i18n.changeLanguage('de');
    expect(billingContactProblems(draft).map((p) => p.message)).toEqual(['Geben Sie eine gültige E-Mail-Adresse ein, zum Beispiel rechnung@example.com.']);
    expect(billingContactProblems({ ...draft, invoiceEmail: 'rechnung@example.com' })).toEqual([]);
  });
});
