import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactInput } from '../../harness/factories.js';
import { startStripeTestApp, type StripeFake, type StripeTestApp } from '../../harness/stripeFake.js';
import { as, mailsTo, signUpVerified, type TestApp } from '../../harness/testApp.js';

/** SPEC 4.11: a card removed at Stripe (or expiring) mails the owners to change it, once per event, acting on Stripe's current state. */
let s: StripeTestApp;
let fake: StripeFake;
let t: TestApp;

beforeAll(async () => {
  s = await startStripeTestApp();
  ({ fake, t } = s);
});
afterAll(async () => { await s?.close(); });

const nowSeconds = () => s.nowSeconds();
const deliver = (e: { payload: string; signature: string }) => s.deliver(e);

async function companyWithStripeCard() {
  const owner = await signUpVerified(t);
  const token = fake.createPaymentMethod({ number: '4242424242424242', expMonth: 11, expYear: 2031 });
  const res = await as(t, owner).post('/api/v1/companies', { name: `Card Events ${Math.random().toString(36).slice(2, 6)}`, billingContact: contactInput(), paymentMethod: { token } });
  expect(res.statusCode, res.body).toBe(201);
  return { owner, token, companyId: res.json().id as string };
}

describe('payment_method.detached and customer.source.expiring', () => {
  it('a detached card mails the owners once, however often the event arrives', async () => {
    const { owner, token, companyId } = await companyWithStripeCard();
    fake.detach(token);
    const event = fake.signedEvent('payment_method.detached', { ...fake.paymentMethods.get(token), _number: undefined, customer: null }, { timestamp: nowSeconds() });
    expect((await deliver(event)).json().outcome).toBe('processed');
    expect((await deliver(event)).json().outcome).toBe('duplicate');
    const mails = await mailsTo(t.services.db, owner.email, 'card-update-needed');
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toMatch(/Please add a new card/);
    expect(mails[0].textBody).toMatch(/Visa ending in 4242/);
    expect(mails[0].textBody).toContain(`http://dashboard.test/companies/${companyId}`);
  });

  it('a stale detach event for a card that Stripe says is still attached changes nothing', async () => {
    const { owner, token } = await companyWithStripeCard();
    const event = fake.signedEvent('payment_method.detached', { id: token, object: 'payment_method', customer: null }, { timestamp: nowSeconds() });
    expect((await deliver(event)).statusCode).toBe(200);
    expect(await mailsTo(t.services.db, owner.email, 'card-update-needed')).toHaveLength(0);
  });

  it('an expiring card mails the owners to change it', async () => {
    const { owner, token } = await companyWithStripeCard();
    const event = fake.signedEvent('customer.source.expiring', { id: token, object: 'card', exp_month: 11, exp_year: 2031 }, { timestamp: nowSeconds() });
    expect((await deliver(event)).json().outcome).toBe('processed');
    const [mail] = await mailsTo(t.services.db, owner.email, 'card-update-needed');
    expect(mail.subject).toMatch(/expires soon/);
  });
});

/** Issue 17: the card mails follow each owner's language (ADR 0050, 0070). */
describe('card mails in the owner’s language', () => {
  it('a German owner is asked in German for a new card, with a link to the Billing tab', async () => {
    const { owner, token, companyId } = await companyWithStripeCard();
    expect((await as(t, owner).patch('/api/v1/me', { language: 'de' })).statusCode).toBe(200);
    fake.detach(token);
    const event = fake.signedEvent('payment_method.detached', { ...fake.paymentMethods.get(token), _number: undefined, customer: null }, { timestamp: nowSeconds() });
    expect((await deliver(event)).json().outcome).toBe('processed');
    const [mail] = await mailsTo(t.services.db, owner.email, 'card-update-needed');
    expect(mail.subject).toMatch(/^Bitte hinterlegen Sie eine neue Karte für /);
    expect(mail.textBody).toMatch(/Die Visa-Karte mit den Endziffern 4242, mit der die Rechnungen von „.+“ in „Card Events \w+“ bezahlt werden, wurde beim Zahlungsdienstleister entfernt/);
    expect(mail.textBody).toContain(`Karte ändern:\nhttp://dashboard.test/companies/${companyId}?tab=billing`);
    expect(mail.textBody).not.toMatch(/\b(Please|card|ending in|expires)\b/);
  });

  it('a German owner hears in German that the card expires soon', async () => {
    const { owner, token } = await companyWithStripeCard();
    expect((await as(t, owner).patch('/api/v1/me', { language: 'de' })).statusCode).toBe(200);
    const event = fake.signedEvent('customer.source.expiring', { id: token, object: 'card', exp_month: 11, exp_year: 2031 }, { timestamp: nowSeconds() });
    expect((await deliver(event)).json().outcome).toBe('processed');
    const [mail] = await mailsTo(t.services.db, owner.email, 'card-update-needed');
    expect(mail.subject).toMatch(/^Die Karte von .+ läuft bald ab$/);
    expect(mail.textBody).toContain('läuft bald ab.');
    expect(mail.textBody).toContain('Bitte geben Sie eine neue Karte ein');
  });
});
