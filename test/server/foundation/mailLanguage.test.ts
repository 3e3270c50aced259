import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedMail } from 'mailparser';
import { deliverDueMail } from '../../../src/server/jobs/deliverMail.js';
import { mailClientInvitation, mailTeamInvitation } from '../../../src/server/modules/invitations/mails.js';
import { mailTeamChange } from '../../../src/server/modules/members/mails.js';
import { runTrialExpiry } from '../../../src/server/jobs/trialExpiry.js';
import { as, cookiesOf, createTestApp, linkIn, ORIGIN, signUpVerified, STRONG_PASSWORD, uniqueEmail, type TestApp } from '../../harness/testApp.js';
import { addMember, bookApp, createCompany, createTrial } from '../../harness/factories.js';
import { startTestSmtp, type TestSmtp } from '../../harness/smtp.js';

/**
 * Issue 11: the invitation and team mails take their words from the shared catalogue and
 * are rendered in the recipient's language (ADR 0050): the same mail in English and in
 * German, delivered over real SMTP.
 */
let smtp: TestSmtp;
let t: TestApp;
beforeAll(async () => {
  smtp = await startTestSmtp();
  t = await createTestApp({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'Dashboard <no-reply@dashboard.test>' } });
});
afterAll(async () => { await t?.close(); await smtp?.close(); });
// Time is frozen and moves only when a test moves it; back to the start after each test (docs/testing.md).
afterEach(() => { t?.clock.reset(); });

const inviter = { firstName: 'Dana', lastName: 'Developer', email: 'dana@example.test' };
const expiresAt = new Date('2026-03-05T14:30:00Z');

/** Delivers what the outbox holds and waits for the mail to `to` on the harness's SMTP server. */
async function delivered(to: string, match?: (mail: ParsedMail) => boolean): Promise<ParsedMail> {
  await deliverDueMail(t.services.db, t.services.mail, t.clock, t.services.log);
  return smtp.waitForMailTo(to, match);
}

async function clientInvitation(to: string, language?: 'en' | 'de') {
  await mailClientInvitation(t.services.db, t.services.config, t.clock.now(), {
    to, clientName: 'Clara', inviter, appName: 'bakery', price: { amount: 1400, currency: 'EUR' }, otherPrice: { amount: 1600, currency: 'USD' },
    message: null, expiresAt, token: 'tok123', ...(language ? { language } : {}),
  });
  return delivered(to);
}

describe('mails in the recipient’s language', () => {
  it('English (the default): the client invitation reads as it always did', async () => {
    const to = uniqueEmail('en');
    const mail = await clientInvitation(to);
    expect(mail.subject).toBe('Dana Developer invites you to take over your website "bakery"');
    expect(mail.text).toContain('Hello Clara,');
    expect(mail.text).toContain('€14.00 per month (or $16.00 if you pay in USD), plus VAT where it applies.');
    expect(mail.text).toContain('This link works until Thursday, 5 March 2026 at 14:30 UTC.');
    expect(mail.text).toContain('See the invitation:\nhttp://dashboard.test/invite/tok123');
    expect(mail.html).toContain('Or copy this link: http://dashboard.test/invite/tok123');
  });

  it('German: the same mail in German, with German money and dates, nothing English left', async () => {
    const to = uniqueEmail('de');
    const mail = await clientInvitation(to, 'de');
    expect(mail.subject).toBe('Dana Developer lädt Sie ein, Ihre Website „bakery“ zu übernehmen');
    expect(mail.text).toContain('Guten Tag Clara,');
    expect(mail.text).toMatch(/14,00\s€ im Monat \(oder 16,00\s\$, wenn Sie in USD bezahlen\)/);
    expect(mail.text).toContain('Dieser Link funktioniert bis Donnerstag, 5. März 2026 um 15:30 MEZ.');
    expect(mail.text).toContain('Einladung ansehen:\nhttp://dashboard.test/invite/tok123');
    expect(mail.html).toContain('Oder kopieren Sie diesen Link: http://dashboard.test/invite/tok123');
    expect(mail.text).not.toMatch(/\b(Hello|invites|per month|link works|See the invitation)\b/);
  });

  it('German team invitation and role change name the role in German', async () => {
    const invited = uniqueEmail('team-de');
    await mailTeamInvitation(t.services.db, t.services.config, t.clock.now(), {
      to: invited, inviter, companyName: 'Bäckerei', role: 'accountant', appNames: [], expiresAt, token: 'tok456', language: 'de',
    });
    const invitation = await delivered(invited);
    expect(invitation.subject).toBe('Dana Developer lädt Sie ein, „Bäckerei“ im Dashboard beizutreten');
    expect(invitation.text).toContain('als Buchhaltung (sieht Rechnungsdaten und Rechnungen) beizutreten.');

    const member = { firstName: 'Max', lastName: 'Muster', email: uniqueEmail('member-de') };
    await mailTeamChange(t.services.db, t.services.config, t.clock.now(), {
      recipients: [member.email], affectedEmail: member.email, companyName: 'Bäckerei', companyId: null, language: 'de',
      change: { kind: 'role', actor: inviter, member, before: 'collaborator', after: 'admin', appNames: [] },
    });
    const changed = await delivered(member.email);
    expect(changed.subject).toBe('Rolle in „Bäckerei“ geändert');
    expect(changed.text).toContain('Dana Developer hat Ihre Rolle in „Bäckerei“ geändert: von Mitarbeiter zu Admin.');
  });
});

/** Issue 17: every mail follows the recipient Account's language and zone (ADR 0070). */
describe('identity and trial mails in the Account’s language', () => {
  async function signUp(body: Record<string, unknown>) {
    const email = uniqueEmail('signup');
    const res = await t.app.inject({
      method: 'POST', url: '/api/auth/sign-up/email', headers: { origin: ORIGIN },
      payload: { email, password: STRONG_PASSWORD, name: 'Max Muster', firstName: 'Max', lastName: 'Muster', ...body },
    });
    expect(res.statusCode, res.body).toBe(200);
    return email.toLowerCase();
  }

  it('English sign-up: the verification mail reads as it always did', async () => {
    const email = await signUp({});
    const mail = await delivered(email);
    expect(mail.subject).toBe('Confirm your e-mail address for the Dashboard');
    expect(mail.text).toContain('Hello Max,');
    expect(mail.text).toContain('Please confirm your e-mail address to finish creating your Dashboard account. The link works for 24 hours and signs you in.');
    expect(mail.text).toContain('If you did not create an account, ignore this mail.');
  });

  it('German sign-up: verification and password reset in German; the language stays on the Account', async () => {
    const email = await signUp({ language: 'de', timeZone: 'Europe/Berlin' });
    const verify = await delivered(email);
    expect(verify.subject).toBe('Bestätigen Sie Ihre E-Mail-Adresse für das Dashboard');
    expect(verify.text).toContain('Guten Tag Max,');
    expect(verify.text).toContain('E-Mail-Adresse bestätigen:\n');
    expect(verify.html).toContain('Oder kopieren Sie diesen Link:');
    expect(verify.text).not.toMatch(/\b(Hello|Please|confirm)\b/);

    const link = new URL(linkIn(verify.text ?? ''));
    const verified = await t.app.inject({ method: 'GET', url: link.pathname + link.search });
    expect(verified.statusCode).toBe(302);
    const cookie = cookiesOf(verified);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ language: 'de', timeZone: 'Europe/Berlin' });

    const reset = await t.app.inject({ method: 'POST', url: '/api/auth/request-password-reset', headers: { origin: ORIGIN }, payload: { email } });
    expect(reset.statusCode).toBeLessThan(300);
    const resetMail = await delivered(email, (m) => m.subject !== verify.subject);
    expect(resetMail.subject).toBe('Ihr Dashboard-Passwort zurücksetzen');
    expect(resetMail.text).toContain('Neues Passwort wählen:\n');
  });

  it('refuses a sign-up language or zone it does not know, and creates nothing', async () => {
    for (const body of [{ language: 'fr' }, { timeZone: 'Mars/Olympus' }]) {
      const res = await t.app.inject({
        method: 'POST', url: '/api/auth/sign-up/email', headers: { origin: ORIGIN },
        payload: { email: uniqueEmail('bad'), password: STRONG_PASSWORD, name: 'X Y', ...body },
      });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().code).toBe('validation_failed');
    }
  });

  it('a German trial creator is warned in German, with the time in their zone and its name', async () => {
    const dev = await signUpVerified(t, { firstName: 'Tina' });
    expect((await as(t, dev).patch('/api/v1/me', { language: 'de', timeZone: 'Europe/Berlin' })).statusCode).toBe(200);
    const name = await createTrial(t, dev);
    t.clock.advance(6 * 86_400_000 + 3_600_000);
    await runTrialExpiry(t.services);
    const mail = await delivered(dev.email, (m) => (m.subject ?? '').includes(name));
    expect(mail.subject).toBe(`Ihre Test-App ${name} endet in 24 Stunden`);
    expect(mail.text).toContain('Guten Tag Tina,');
    expect(mail.text).toMatch(/endet am \w+, \d{1,2}\. \w+ \d{4} um \d\d:\d\d MEZ\./);
    expect(mail.text).toContain('App öffnen:\n');
  });

  it('an invitation goes in the inviter’s language and zone', async () => {
    const to = uniqueEmail('invitee');
    await mailTeamInvitation(t.services.db, t.services.config, t.clock.now(), {
      to, inviter, companyName: 'Bäckerei', role: 'admin', appNames: [], expiresAt, token: 'tok789', language: 'en', timeZone: 'America/New_York',
    });
    const mail = await delivered(to);
    expect(mail.text).toContain('This link works until Thursday, 5 March 2026 at 09:30 GMT-5.');
  });
});

describe('a mail to several people: each in their own language', () => {
  it('a team change reaches a German member in German and an English owner in English, in one lookup', async () => {
    const owner = await signUpVerified(t, { firstName: 'Olga', lastName: 'Owner' });
    const member = await signUpVerified(t, { firstName: 'Max', lastName: 'Muster' });
    expect((await as(t, member).patch('/api/v1/me', { language: 'de' })).statusCode).toBe(200);
    await mailTeamChange(t.services.db, t.services.config, t.clock.now(), {
      recipients: [owner.email, member.email], affectedEmail: member.email, companyName: 'Bäckerei', companyId: 'c1',
      change: { kind: 'role', actor: inviter, member: { firstName: 'Max', lastName: 'Muster', email: member.email }, before: 'collaborator', after: 'admin', appNames: [] },
    });
    const german = await delivered(member.email, (m) => (m.subject ?? '').includes('Bäckerei'));
    expect(german.subject).toBe('Rolle in „Bäckerei“ geändert');
    expect(german.text).toContain('Dana Developer hat Ihre Rolle in „Bäckerei“ geändert: von Mitarbeiter zu Admin.');
    const english = await delivered(owner.email, (m) => (m.subject ?? '').includes('Bäckerei'));
    expect(english.subject).toBe('Role changed in "Bäckerei"');
    expect(english.text).toContain('Dana Developer changed the role of Max Muster in "Bäckerei" from collaborator to admin.');
  });
});

/** Issue 17: moving an App mails the owners of both Companies, each in their own language. */
describe('the App transfer mail in each owner’s language', () => {
  it('a German co-owner reads the move in German, the English owner in English', async () => {
    const owner = await signUpVerified(t, { firstName: 'Olaf', lastName: 'Owner' });
    const from = await createCompany(t, owner, { name: 'Alte Firma' });
    const to = await createCompany(t, owner, { name: 'Neue Firma' });
    const app = await bookApp(t, owner, from);
    const coOwner = await signUpVerified(t, { firstName: 'Greta', lastName: 'Grün' });
    await addMember(t, to.id, coOwner, 'owner');
    expect((await as(t, coOwner).patch('/api/v1/me', { language: 'de' })).statusCode).toBe(200);
    const res = await as(t, owner).post(`/api/v1/apps/${app}/transfer`, { toCompanyId: to.id, billingContactId: to.contactId });
    expect(res.statusCode, res.body).toBe(200);

    const german = await delivered(coOwner.email, (m) => (m.subject ?? '').includes(app));
    expect(german.subject).toBe(`„${app}“ ist von „Alte Firma“ zu „Neue Firma“ umgezogen`);
    expect(german.text).toContain(`Olaf Owner hat die App „${app}“ von „Alte Firma“ zu „Neue Firma“ verschoben.`);
    expect(german.text).toMatch(/„Alte Firma“ bezahlt sie bis einschließlich \d{1,2}\. \S+ \d{4}; „Neue Firma“ bezahlt ab \d{1,2}\. \S+ \d{4} \(Rechnungskontakt „Bakery Müller GmbH“\)\./);
    expect(german.text).toContain(`App öffnen:\nhttp://dashboard.test/apps/${app}`);
    expect(german.text).not.toMatch(/\b(moved|pays|through|Open the App)\b/);

    const english = await delivered(owner.email, (m) => (m.subject ?? '').includes(app));
    expect(english.subject).toBe(`"${app}" moved from "Alte Firma" to "Neue Firma"`);
    expect(english.text).toContain(`Olaf Owner moved the App "${app}" from "Alte Firma" to "Neue Firma".`);
    expect(english.text).toMatch(/"Alte Firma" pays for it through \d{1,2} \S+ \d{4}; "Neue Firma" pays from \d{1,2} \S+ \d{4} \(billing contact "Bakery Müller GmbH"\)\./);
  });
});
