import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedMail } from 'mailparser';
import { deliverDueMail } from '../../../src/server/jobs/deliverMail.js';
import { mailClientInvitation, mailTeamInvitation } from '../../../src/server/modules/invitations/mails.js';
import { mailTeamChange } from '../../../src/server/modules/members/mails.js';
import { createTestApp, uniqueEmail, type TestApp } from '../../harness/testApp.js';
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

const inviter = { firstName: 'Dana', lastName: 'Developer', email: 'dana@example.test' };
const expiresAt = new Date('2026-03-05T14:30:00Z');

async function delivered(to: string): Promise<ParsedMail> {
  await deliverDueMail(t.services.db, t.services.mail, t.clock, t.services.log);
  let mail: ParsedMail | undefined;
  for (let i = 0; i < 200 && !mail; i++) {
    mail = smtp.received.find((m) => JSON.stringify(m.to).includes(to));
    if (!mail) await new Promise((r) => setTimeout(r, 25));
  }
  if (!mail) throw new Error(`no mail to ${to}`);
  return mail;
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
