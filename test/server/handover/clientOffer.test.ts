import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardToken, contactInput, createTrial, MEDIUM_PLAN } from '../../harness/factories.js';
import { inviteClient, signUpClient } from '../../harness/handover.js';
import { as, createTestApp, mailsTo, ORIGIN, signUpVerified, uniqueEmail, type TestApp } from '../../harness/testApp.js';
import { quoteMonthly } from '../../../src/server/modules/billing/quote.js';

/**
 * Issue 17: an offer worth trusting (VAT, gross, first invoice), the done answer and mail that
 * repeat what was agreed, the seller in every mail, the dead ends that say what happened.
 */
let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t?.close(); });

const quote = (token: string, body: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/v1/invitations/quote', headers: { origin: ORIGIN }, payload: { token, ...body } });

describe('the offer in numbers (POST /api/v1/invitations/quote)', () => {
  it('German buyer: 19 % on the net; the first invoice covers tomorrow to the month end, issued on the 1st', async () => {
    const dev = await signUpVerified(t);
    const { token } = await inviteClient(t, dev, await createTrial(t, dev), uniqueEmail('client'), MEDIUM_PLAN);
    const res = await quote(token, { country: 'de' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const q = res.json();
    expect(q).toMatchObject({
      vatRate: 19, treatment: 'domestic', vatNumberProblem: null,
      monthly: { net: { amount: 4200, currency: 'EUR' }, vat: { amount: 798, currency: 'EUR' }, gross: { amount: 4998, currency: 'EUR' } },
    });
    // Same arithmetic as the invoice: days from tomorrow to the month's end, prorated, then VAT once.
    const now = t.clock.now();
    const tomorrow = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
    const from = tomorrow.toISOString().slice(0, 10);
    const last = new Date(Date.UTC(tomorrow.getUTCFullYear(), tomorrow.getUTCMonth() + 1, 0));
    const days = last.getUTCDate() - tomorrow.getUTCDate() + 1;
    const net = Math.round((4200 * days) / last.getUTCDate());
    expect(q.firstInvoice).toMatchObject({
      fromDay: from, toDay: last.toISOString().slice(0, 10), days,
      issuedOn: new Date(Date.UTC(tomorrow.getUTCFullYear(), tomorrow.getUTCMonth() + 1, 1)).toISOString().slice(0, 10),
      net: { amount: net }, vat: { amount: Math.round(net * 0.19) }, gross: { amount: net + Math.round(net * 0.19) },
    });
  });

  it('follows SPEC 4.8: EU with a valid VAT ID reverse charge, EU without OSS, outside the EU none; USD prices', async () => {
    const dev = await signUpVerified(t);
    const { token } = await inviteClient(t, dev, await createTrial(t, dev), uniqueEmail('client'), MEDIUM_PLAN);
    expect((await quote(token, { country: 'FR', vatNumber: 'FR 40 303 265 045' })).json()).toMatchObject({ vatRate: 0, treatment: 'eu_reverse_charge', monthly: { gross: { amount: 4200 } } });
    expect((await quote(token, { country: 'FR' })).json()).toMatchObject({ vatRate: 20, treatment: 'eu_oss', monthly: { vat: { amount: 840 }, gross: { amount: 5040 } } });
    expect((await quote(token, { country: 'US', currency: 'USD' })).json()).toMatchObject({ vatRate: 0, treatment: 'outside_eu', monthly: { net: { currency: 'USD' } } });
    // A VAT number with a wrong check digit does not buy reverse charge; the answer says why.
    const typo = (await quote(token, { country: 'FR', vatNumber: 'FR40303265046' })).json();
    expect(typo).toMatchObject({ vatRate: 20, treatment: 'eu_oss' });
    expect(typo.vatNumberProblem).toMatch(/check digit/);
  });

  it('refuses bad input with 400 and unknown or team tokens with their codes, never a 500', async () => {
    const dev = await signUpVerified(t);
    const { token } = await inviteClient(t, dev, await createTrial(t, dev), uniqueEmail('client'));
    for (const body of [{ country: 'XX' }, { country: 'Germany' }, {}, { country: 'DE', currency: 'GBP' }, { country: 'DE', extra: 1 }, { country: 'DE', vatNumber: 'x'.repeat(31) }]) {
      const res = await quote(token, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().code).toBe('validation_failed');
    }
    expect((await quote('not-a-token', { country: 'DE' })).json().code).toBe('invitation_invalid');
  });

  it('is the rule of the invoices: rounding half up once on the net, pure', () => {
    // €16 for 21 of 30 days = €11.20; 19 % = €2.128 → €2.13 (the invoice test's numbers).
    const q = quoteMonthly({ country: 'DE' }, { country: 'DE' }, { amount: 1600, currency: 'EUR' }, '2026-11-10');
    expect(q.firstInvoice).toMatchObject({ days: 21, net: { amount: 1120 }, vat: { amount: 213 }, gross: { amount: 1333 }, issuedOn: '2026-12-01', toDay: '2026-11-30' });
    // Starting on the 1st of a month: the whole month, on the next 1st (December → January).
    expect(quoteMonthly({ country: 'DE' }, { country: 'AT' }, { amount: 2600, currency: 'EUR' }, '2026-12-01').firstInvoice)
      .toMatchObject({ days: 31, net: { amount: 2600 }, vat: { amount: 520 }, issuedOn: '2027-01-01' });
  });
});

describe('what was agreed: the accept answer and the confirmation mail (issue 17)', () => {
  it('repeats plan, monthly amount with VAT, card and billing address, and links the Billing tab; every mail names the seller', async () => {
    const dev = await signUpVerified(t);
    const app = await createTrial(t, dev);
    const email = uniqueEmail('client');
    const { token } = await inviteClient(t, dev, app, email, MEDIUM_PLAN);
    const client = await signUpClient(t, token, email);
    const res = await as(t, client).post('/api/v1/invitations/accept', {
      token, company: { name: 'Bakery Müller' }, billingContact: contactInput({ invoiceEmail: client.email }), paymentMethod: { token: await cardToken(t) },
    });
    expect(res.statusCode).toBe(200);
    const { summary, company } = res.json();
    expect(summary).toMatchObject({
      plan: MEDIUM_PLAN, quote: { vatRate: 19, monthly: { net: { amount: 4200 }, gross: { amount: 4998 } } },
      card: { brand: 'visa', last4: '4242' },
      billingContact: { name: 'Bakery Müller GmbH', line1: 'Hauptstraße 1', postalCode: '10115', city: 'Berlin', country: 'DE', vatNumber: 'DE136695976' },
      billingUrl: `http://dashboard.test/companies/${company.id}?tab=billing`,
    });
    expect(summary.planInWords).toMatch(/PHP/);
    const [mail] = await mailsTo(t.services.db, email, 'handover-confirmation');
    // The plan as a business owner reads it: no processor sizes (ADR 0092).
    expect(mail.textBody).toContain('Plan: Website: Medium · Database: Medium (5 GB) · Storage: 50 GB.');
    expect(mail.textBody).not.toMatch(/vCPU|PHP/);
    expect(mail.textBody).toContain('€42.00 plus 19 % VAT (€7.98) = €49.98 a month');
    expect(mail.textBody).toContain('Card: Visa ending in 4242.');
    expect(mail.textBody).toContain(`Your website: https://${app}.apps.localhost`);
    expect(mail.textBody).toContain('Billing address: Bakery Müller GmbH, Hauptstraße 1, 10115 Berlin, Germany.');
    expect(mail.textBody).toMatch(/First invoice on \d{1,2} \w+ \d{4} for/);
    expect(mail.textBody).toContain(`See billing and invoices:\nhttp://dashboard.test/companies/${company.id}?tab=billing`);
    // The footer of every mail: who provides the service, terms and privacy.
    for (const m of [mail, ...(await mailsTo(t.services.db, dev.email))]) {
      expect(m.textBody).toContain('This service is provided by Dashboard Hosting GmbH, Friedrichstraße 123, 10117 Berlin.');
      expect(m.textBody).toContain('Terms: http://dashboard.test/terms');
      expect(m.textBody).toContain('Privacy: http://dashboard.test/privacy');
    }
  });
});

describe('the client\'s language from the invitation pages (ADR 0092)', () => {
  it('signing up from an invitation keeps the page\'s language and the browser\'s zone: the confirmation mail is German, in MEZ', async () => {
    const dev = await signUpVerified(t);
    const app = await createTrial(t, dev);
    const email = uniqueEmail('kunde');
    const { token } = await inviteClient(t, dev, app, email, MEDIUM_PLAN);
    const client = await signUpClient(t, token, email, { firstName: 'Klara', lastName: 'Korn', language: 'de', timeZone: 'Europe/Berlin' } as never);
    expect((await as(t, client).get('/api/v1/me')).json()).toMatchObject({ language: 'de', timeZone: 'Europe/Berlin' });
    const res = await as(t, client).post('/api/v1/invitations/accept', {
      token, company: { name: 'Bäckerei Korn' }, billingContact: contactInput({ invoiceEmail: client.email }), paymentMethod: { token: await cardToken(t) },
    });
    expect(res.statusCode).toBe(200);
    const [mail] = await mailsTo(t.services.db, email, 'handover-confirmation');
    expect(mail.subject).toBe(`„${app}“ gehört jetzt Ihnen`);
    expect(mail.textBody).toContain('Tarif: Website: Mittel · Datenbank: Mittel (5 GB) · Speicherplatz: 50 GB.');
    expect(mail.textBody).toMatch(/42,00\s€ zzgl\. 19 % MwSt\. \(7,98\s€\) = 49,98\s€ im Monat/);
    expect(mail.textBody).toContain('Karte: Visa mit den Endziffern 4242.');
  });

  it('refuses a language or zone it does not know with 400 validation_failed, and creates no Account', async () => {
    const dev = await signUpVerified(t);
    const email = uniqueEmail('kunde');
    const { token } = await inviteClient(t, dev, await createTrial(t, dev), email);
    for (const extra of [{ language: 'fr' }, { timeZone: 'Mars/Olympus' }, { timeZone: 'x'.repeat(65) }]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/invitations/sign-up', headers: { origin: ORIGIN }, payload: { token, password: 'a long enough password here', firstName: 'K', lastName: 'K', ...extra } });
      expect(res.statusCode, JSON.stringify(extra)).toBe(400);
      expect(res.json().code).toBe('validation_failed');
    }
    // Without them the Account follows the browser until a choice is made, as before (ADR 0070).
    const client = await signUpClient(t, token, email);
    expect((await as(t, client).get('/api/v1/me')).json()).toMatchObject({ language: null, timeZone: null });
  });
});

describe('the language the developer picks for the invitation (ADR 0092)', () => {
  it('an English developer invites a German client in German: the mail and the resent mail are German; the confirmation too, while the client has no language of her own', async () => {
    const dev = await signUpVerified(t);
    const app = await createTrial(t, dev);
    const email = uniqueEmail('kunde');
    const { invitation, token } = await inviteClient(t, dev, app, email, MEDIUM_PLAN, { language: 'de' });
    expect(invitation.language).toBe('de');
    const [sent] = await mailsTo(t.services.db, email, 'client-invitation');
    expect(sent.subject).toMatch(/lädt Sie ein, Ihre Website „.*“ zu übernehmen/);
    expect((await as(t, dev).post(`/api/v1/apps/${app}/client-invitations/${invitation.id}/resend`, {})).json()).toMatchObject({ language: 'de' });
    const [resent] = await mailsTo(t.services.db, email, 'client-invitation');
    expect(resent.id).not.toBe(sent.id);
    expect(resent.subject).toBe(sent.subject);
    const newToken = new URL(resent.textBody.match(/https?:\/\/\S+\/invite\/\S+/)![0]).pathname.split('/').pop()!;
    expect(newToken).not.toBe(token);
    const client = await signUpClient(t, newToken, email);
    const res = await as(t, client).post('/api/v1/invitations/accept', {
      token: newToken, company: { name: 'Bäckerei Korn' }, billingContact: contactInput({ invoiceEmail: client.email }), paymentMethod: { token: await cardToken(t) },
    });
    expect(res.statusCode).toBe(200);
    const [done] = await mailsTo(t.services.db, email, 'handover-confirmation');
    expect(done.subject).toBe(`„${app}“ gehört jetzt Ihnen`);
    // The developer's own mails stay in her language.
    const [toDev] = await mailsTo(t.services.db, dev.email, 'handover-inviter');
    expect(toDev.subject).not.toMatch(/Ihnen|Sie /);
  });

  it('without a choice the mail is in the inviter\'s language, as before; an unknown language is 400 validation_failed and nothing is sent', async () => {
    const dev = await signUpVerified(t);
    const app = await createTrial(t, dev);
    const email = uniqueEmail('client');
    const { invitation } = await inviteClient(t, dev, app, email);
    expect(invitation.language).toBeUndefined();
    expect((await mailsTo(t.services.db, email, 'client-invitation'))[0].subject).toMatch(/invites you/);
    await as(t, dev).delete(`/api/v1/apps/${app}/client-invitations/${invitation.id}`);
    const nobody = uniqueEmail('x');
    const refused = await as(t, dev).post(`/api/v1/apps/${app}/client-invitations`, { email: nobody, plan: MEDIUM_PLAN, language: 'fr' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().code).toBe('validation_failed');
    expect(await mailsTo(t.services.db, nobody)).toEqual([]);
  });
});

describe('the seller and its pages (GET /api/v1/site)', () => {
  it('is public and cacheable, with the sample seller and the Dashboard’s own pages by default', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/site' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.json()).toEqual({
      seller: { name: 'Dashboard Hosting GmbH', addressLines: ['Friedrichstraße 123', '10117 Berlin'], country: 'DE', vatId: 'DE811907980' },
      termsUrl: 'http://dashboard.test/terms', privacyUrl: 'http://dashboard.test/privacy',
    });
  });

  it('takes SELLER_TERMS_URL and SELLER_PRIVACY_URL, and refuses a start with ones that are not http(s) URLs', async () => {
    const other = await createTestApp({ env: { SELLER_TERMS_URL: 'https://seller.example/agb', SELLER_PRIVACY_URL: 'https://seller.example/datenschutz' } });
    try {
      expect((await other.app.inject({ method: 'GET', url: '/api/v1/site' })).json()).toMatchObject({ termsUrl: 'https://seller.example/agb', privacyUrl: 'https://seller.example/datenschutz' });
    } finally { await other.close(); }
    const { loadConfig } = await import('../../../src/server/config.js');
    expect(() => loadConfig({ SELLER_TERMS_URL: 'javascript:alert(1)' } as NodeJS.ProcessEnv)).toThrow(/SELLER_TERMS_URL/);
    expect(() => loadConfig({ SELLER_PRIVACY_URL: 'not a url' } as NodeJS.ProcessEnv)).toThrow(/SELLER_PRIVACY_URL/);
  });
});

describe('dead ends say what happened (issue 17)', () => {
  it('a link replaced by "Resend" answers invitation_invalid with reason superseded; the new link works', async () => {
    const dev = await signUpVerified(t);
    const app = await createTrial(t, dev);
    const email = uniqueEmail('client');
    const { invitation, token: oldToken } = await inviteClient(t, dev, app, email);
    expect((await as(t, dev).post(`/api/v1/apps/${app}/client-invitations/${invitation.id}/resend`, {})).statusCode).toBe(200);
    const lookup = (token: string) => t.app.inject({ method: 'POST', url: '/api/v1/invitations/lookup', headers: { origin: ORIGIN }, payload: { token } });
    const old = await lookup(oldToken);
    expect(old.statusCode).toBe(404);
    expect(old.json()).toMatchObject({ code: 'invitation_invalid', reason: 'superseded' });
    expect(old.body).not.toContain(email);
    // A garbled link has no reason: nothing to say but "not valid".
    const garbled = await lookup(`${oldToken.slice(0, -2)}xx`);
    expect(garbled.json().code).toBe('invitation_invalid');
    expect(garbled.json().reason).toBeUndefined();
    // The old link can do nothing: no accept, no decline.
    const decline = await t.app.inject({ method: 'POST', url: '/api/v1/invitations/decline', headers: { origin: ORIGIN }, payload: { token: oldToken } });
    expect(decline.json()).toMatchObject({ code: 'invitation_invalid', reason: 'superseded' });
  });

  it('someone signed in with another address cannot decline; signed out, the holder of the mail can', async () => {
    const dev = await signUpVerified(t);
    const app = await createTrial(t, dev);
    const { token } = await inviteClient(t, dev, app, uniqueEmail('client'));
    const stranger = await signUpVerified(t);
    const refused = await as(t, stranger).post('/api/v1/invitations/decline', { token });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('email_mismatch');
    const lookup = await t.app.inject({ method: 'POST', url: '/api/v1/invitations/lookup', headers: { origin: ORIGIN }, payload: { token } });
    expect(lookup.json().state).toBe('pending');
    const declined = await t.app.inject({ method: 'POST', url: '/api/v1/invitations/decline', headers: { origin: ORIGIN }, payload: { token } });
    expect(declined.statusCode).toBe(204);
  });
});
