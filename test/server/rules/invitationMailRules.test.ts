import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts } from '../../../src/server/db/schema.js';
import { quoteMonthly } from '../../../src/server/modules/billing/quote.js';
import {
  invitationLink, mailClientInvitation, mailHandoverDone, mailInvitationDeclined, mailNewInvitationRequested, mailTeamInvitation, mailTeamJoined, monthlyInWords,
} from '../../../src/server/modules/invitations/mails.js';
import type { AcceptSummary } from '../../../src/server/modules/invitations/summary.js';
import { formatDay, formatMoment, formatMoney, mailTimeZone, personName } from '../../../src/server/modules/invitations/wording.js';
import { createTestApp, mailsTo, PUBLIC_URL, signUpVerified, uniqueEmail, type TestApp } from '../../harness/testApp.js';

/**
 * Issue 10 (Stryker on invitations/mails.ts and wording.ts, 4 December): the invitation and
 * handover mails as their recipients read them, each written straight into the real outbox and
 * compared whole (subject and text), in English and in German (ADR 0050, 0070, 0092): who
 * writes, what happens, the money with and without VAT, the deadline in the right zone, the
 * link, and the footer with the seller (issue 17).
 */
let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t?.close(); });

const AT = new Date('2026-03-05T14:30:00Z');
const FOOTER_EN = 'This service is provided by Dashboard Hosting GmbH, Friedrichstraße 123, 10117 Berlin.\nTerms: http://dashboard.test/terms\nPrivacy: http://dashboard.test/privacy';
const FOOTER_DE = 'Dieser Dienst wird angeboten von Dashboard Hosting GmbH, Friedrichstraße 123, 10117 Berlin.\nAGB: http://dashboard.test/terms\nDatenschutz: http://dashboard.test/privacy';
const body = (...parts: string[]) => `${parts.join('\n\n')}\n`;
const only = async (to: string, kind: string) => {
  const mails = (await mailsTo(t.services.db, to)).filter((m) => m.kind !== 'verify-email');
  expect(mails.map((m) => m.kind), to).toEqual([kind]);
  return mails[0];
};
const dana = (email = uniqueEmail('dana')) => ({ firstName: 'Dana', lastName: 'Dev', email });
const EUR26 = { amount: 2600, currency: 'EUR' } as const;
const USD29 = { amount: 2900, currency: 'USD' } as const;

function summary(quote: ReturnType<typeof quoteMonthly>, card: AcceptSummary['card'], line2: string | null = 'Suite 5'): AcceptSummary {
  return {
    plan: { php: 'php-s' } as AcceptSummary['plan'], planInWords: 'Small', quote, card,
    billingContact: { name: 'Bakery Inc', line1: '1 Main St', line2, postalCode: '10001', city: 'New York', country: 'US', vatNumber: null },
    billingUrl: `${PUBLIC_URL}/companies/co_1?tab=billing`,
  };
}

describe('the client\'s invitation mail (SPEC 4.1 step 3)', () => {
  it('names the client, what the inviter built, her message, both prices, the deadline in UTC, the link and who she is', async () => {
    const to = uniqueEmail('client');
    await mailClientInvitation(t.services.db, t.services.config, AT, {
      to, clientName: 'Clara', inviter: dana('dana@example.com'), appName: 'shop', price: EUR26, otherPrice: USD29,
      message: 'Your new site.', expiresAt: new Date('2026-03-19T14:30:00Z'), token: 'TOKEN', language: null, timeZone: null,
    });
    const mail = await only(to, 'client-invitation');
    expect(mail.subject).toBe('Dana Dev invites you to take over your website "shop"');
    expect(mail.textBody).toBe(body(
      'Hello Clara,',
      'Dana Dev (dana@example.com) has built your website "shop" and invites you to take it over.',
      'Dana Dev writes:\n"Your new site."',
      'What will happen: you become the owner of "shop" and pay for it from the day after you accept: €26.00 per month (or $29.00 if you pay in USD), plus VAT where it applies. Dana Dev keeps working on it for you as an admin of your company account. You can remove Dana Dev at any time.',
      'You will need a few minutes and a payment card. This link works until Thursday, 19 March 2026 at 14:30 UTC.',
      `See the invitation:\n${PUBLIC_URL}/invite/TOKEN`,
      `--\nIf you do not know Dana Dev, you can ignore this mail; nothing happens without you.\n\n${FOOTER_EN}`,
    ));
    expect(invitationLink(t.services.config, 'abc')).toBe(`${PUBLIC_URL}/invite/abc`);
  });

  it('without a name or message: a plain greeting and no quote; in German with the inviter\'s zone', async () => {
    const to = uniqueEmail('kunde');
    await mailClientInvitation(t.services.db, t.services.config, AT, {
      to, clientName: null, inviter: dana('dana@example.com'), appName: 'shop', price: EUR26, otherPrice: USD29,
      message: null, expiresAt: new Date('2026-03-19T14:30:00Z'), token: 'TOKEN', language: 'de', timeZone: 'America/New_York',
    });
    const mail = await only(to, 'client-invitation');
    const [greeting, built, whatHappens, needs] = mail.textBody.split('\n\n');
    expect(greeting).toBe('Guten Tag,');
    expect(built).toMatch(/^Dana Dev \(dana@example\.com\) /);
    expect(whatHappens).toMatch(/: 26,00\s€ im Monat \(oder 29,00\s\$, wenn Sie in USD bezahlen\)/);
    expect(needs).toContain('Donnerstag, 19. März 2026 um 10:30');
    expect(mail.textBody).toContain(FOOTER_DE);
  });
});

describe('the handover mails (SPEC 4.1 step 6, issue 17)', () => {
  it('the client\'s repeats what was agreed (a SEPA mandate, no VAT); the inviter\'s and the previous owners\' are in the inviter\'s language', async () => {
    const client = uniqueEmail('c');
    const inviter = uniqueEmail('i');
    const previous = [uniqueEmail('p1'), uniqueEmail('p2')];
    const quote = quoteMonthly(t.services.config.seller, { country: 'US', vatNumber: null }, { amount: 2600, currency: 'USD' }, '2026-03-06');
    await mailHandoverDone(t.services.db, t.services.config, AT, {
      client: { firstName: 'Clara', lastName: 'Client', email: client, language: null }, inviter: { ...dana(inviter), language: 'de' },
      appName: 'shop', companyName: 'Bakery', companyId: 'co_1', price: { amount: 2600, currency: 'USD' }, payFrom: new Date('2026-03-06T00:00:00Z'),
      previousOwners: previous, summary: summary(quote, { brand: null, last4: '3000' }),
    });
    const mine = await only(client, 'handover-confirmation');
    expect(mine.subject).toBe('You now own "shop"');
    expect(mine.textBody).toBe(body(
      'Hello Clara Client,',
      'You now own "shop" through your company "Bakery". You pay $26.00 per month from 6 March 2026.',
      'Dana Dev is an admin of "Bakery" and keeps working on your website. You can see and manage billing and your team, and remove Dana Dev later, on your company page.',
      'Your website: https://shop.apps.localhost',
      'Plan: Website: Small.',
      'Monthly: $26.00 a month, no VAT charged.',
      'First invoice on 1 April 2026 for 6 March 2026 to 31 March 2026: about $21.81.',
      'Payment: SEPA Direct Debit, IBAN ending in 3000.',
      'Billing address: Bakery Inc, 1 Main St, Suite 5, 10001 New York, United States.',
      `See billing and invoices:\n${PUBLIC_URL}/companies/co_1?tab=billing`,
      `--\n${FOOTER_EN}`,
    ));
    const theirs = await only(inviter, 'handover-inviter');
    expect(theirs.subject).toBe('Clara Client hat „shop“ übernommen; Sie sind jetzt Admin von „Bakery“');
    expect(theirs.textBody).toBe(body(
      'Guten Tag Dana Dev,',
      'Clara Client hat Ihre Einladung angenommen: „shop“ gehört jetzt zu „Bakery“, die ab 6. März 2026 dafür bezahlt.',
      'Sie sind jetzt Admin von „Bakery“: Sie können weiter an der App arbeiten, sie skalieren und weitere Apps auf die Rechnungskontakte der Firma buchen. Die Zahlungsdaten der Firma sehen Sie nicht.',
      `Firma öffnen:\n${PUBLIC_URL}/companies/co_1`,
      `--\n${FOOTER_DE}`,
    ));
    for (const owner of previous) {
      const told = await only(owner, 'handover-previous-owner');
      expect(told.subject).toBe('„shop“ wurde an Clara Client übergeben');
      expect(told.textBody).toBe(body(
        '„shop“ wurde von Dana Dev an „Bakery“ übergeben. Ihre Firma bezahlt die App bis einschließlich 5. März 2026; „Bakery“ bezahlt ab dem nächsten Tag.',
        `--\n${FOOTER_DE}`,
      ));
    }
  });

  it('in the client\'s own language, with a card and VAT; without a summary the mail links the Company', async () => {
    const client = uniqueEmail('k');
    const quote = quoteMonthly(t.services.config.seller, { country: 'DE', vatNumber: null }, EUR26, '2026-03-06');
    await mailHandoverDone(t.services.db, t.services.config, AT, {
      client: { firstName: 'Klara', lastName: 'Korn', email: client, language: 'de' }, inviter: { ...dana(), language: null },
      appName: 'shop', companyName: 'Bäckerei', companyId: 'co_2', price: EUR26, payFrom: new Date('2026-03-06T00:00:00Z'),
      previousOwners: [], summary: summary(quote, { brand: 'visa', last4: '4242' }, null),
    });
    const mine = await only(client, 'handover-confirmation');
    expect(mine.subject).toBe('„shop“ gehört jetzt Ihnen');
    expect(mine.textBody).toContain('Guten Tag Klara Korn,');
    expect(mine.textBody).toMatch(/26,00\s€ zzgl\. 19 % MwSt\. \(4,94\s€\) = 30,94\s€ im Monat/);
    expect(mine.textBody).toContain('Karte: Visa mit den Endziffern 4242.');
    // An address without a second line has no empty part.
    expect(mine.textBody).toContain('Rechnungsadresse: Bakery Inc, 1 Main St, 10001 New York, Vereinigte Staaten.');

    const plain = uniqueEmail('plain');
    await mailHandoverDone(t.services.db, t.services.config, AT, {
      client: { firstName: 'Clara', lastName: 'Client', email: plain }, inviter: dana(),
      appName: 'shop', companyName: 'Bakery', companyId: 'co_3', price: EUR26, payFrom: new Date('2026-03-06T00:00:00Z'), previousOwners: [],
    });
    const noSummary = await only(plain, 'handover-confirmation');
    expect(noSummary.textBody).toBe(body(
      'Hello Clara Client,',
      'You now own "shop" through your company "Bakery". You pay €26.00 per month from 6 March 2026.',
      'Dana Dev is an admin of "Bakery" and keeps working on your website. You can see and manage billing and your team, and remove Dana Dev later, on your company page.',
      'Your website: https://shop.apps.localhost',
      `Open your company:\n${PUBLIC_URL}/companies/co_3`,
      `--\n${FOOTER_EN}`,
    ));
  });

  it('the monthly amount in words: with VAT the breakdown, without VAT no VAT charged', () => {
    const seller = t.services.config.seller;
    expect(monthlyInWords(quoteMonthly(seller, { country: 'DE', vatNumber: null }, EUR26, '2026-03-06'), 'en')).toBe('€26.00 plus 19 % VAT (€4.94) = €30.94 a month');
    expect(monthlyInWords(quoteMonthly(seller, { country: 'US', vatNumber: null }, USD29, '2026-03-06'), 'en')).toBe('$29.00 a month, no VAT charged');
    expect(monthlyInWords(quoteMonthly(seller, { country: 'US', vatNumber: null }, USD29, '2026-03-06'), 'de')).toMatch(/^29,00\s\$ im Monat, ohne Mehrwertsteuer$/);
  });
});

describe('the team mails and the inviter\'s notices (SPEC 4.6)', () => {
  it('a team invitation names the inviter, the Company, the role in words, the Apps and the deadline', async () => {
    const to = uniqueEmail('team');
    await mailTeamInvitation(t.services.db, t.services.config, AT, {
      to, inviter: dana('dana@example.com'), companyName: 'Agency', role: 'collaborator', appNames: ['aa-shop', 'zz-blog'],
      expiresAt: new Date('2026-03-12T14:30:00Z'), token: 'TEAMTOKEN',
    });
    const mail = await only(to, 'team-invitation');
    expect(mail.subject).toBe('Dana Dev invites you to join "Agency" on the Dashboard');
    expect(mail.textBody).toBe(body(
      'Hello,',
      'Dana Dev (dana@example.com) invites you to join "Agency" as a collaborator (works on the Apps named below).',
      'Apps: aa-shop, zz-blog',
      'This link works until Thursday, 12 March 2026 at 14:30 UTC. Sign in with this e-mail address to accept, or create an account from the link.',
      `See the invitation:\n${PUBLIC_URL}/invite/TEAMTOKEN`,
      `--\nIf you do not know Dana Dev, you can ignore this mail.\n\n${FOOTER_EN}`,
    ));
    const admin = uniqueEmail('teamde');
    await mailTeamInvitation(t.services.db, t.services.config, AT, {
      to: admin, inviter: dana('dana@example.com'), companyName: 'Agentur', role: 'admin', appNames: [], expiresAt: new Date('2026-03-12T14:30:00Z'), token: 'T2', language: 'de',
    });
    const de = await only(admin, 'team-invitation');
    // No Apps for an admin: the paragraph after the role is the deadline, in Berlin time.
    const [hello, role, until] = de.textBody.split('\n\n');
    expect(hello).toBe('Guten Tag,');
    expect(role).toBe('Dana Dev (dana@example.com) lädt Sie ein, „Agentur“ als Admin (arbeitet an allen Apps, bucht Apps, lädt Mitarbeiter ein) beizutreten.');
    expect(until).toMatch(/^Dieser Link funktioniert bis Donnerstag, 12\. März 2026 um 15:30 MEZ\./);
  });

  it('"joined" goes once to each address, each in the language of its Account unless the caller gives one', async () => {
    const german = await signUpVerified(t);
    await t.services.db.update(accounts).set({ language: 'de' }).where(eq(accounts.id, german.id));
    const english = uniqueEmail('nobody');
    const member = { firstName: 'Mia', lastName: 'Member', email: 'mia@example.com' };
    await mailTeamJoined(t.services.db, t.services.config, AT, { to: [german.email, english, german.email], member, companyName: 'Agency', companyId: 'co_9', role: 'accountant' });
    const de = await only(german.email, 'team-joined');
    expect(de.subject).toBe('Mia Member ist „Agency“ beigetreten');
    expect(de.textBody).toBe(body(
      'Mia Member (mia@example.com) hat die Einladung angenommen und ist „Agency“ als Buchhaltung beigetreten.',
      `Team ansehen:\n${PUBLIC_URL}/companies/co_9`,
      `--\n${FOOTER_DE}`,
    ));
    const en = await only(english, 'team-joined');
    expect(en.subject).toBe('Mia Member joined "Agency"');
    expect(en.textBody).toBe(body(
      'Mia Member (mia@example.com) accepted the invitation and joined "Agency" as accountant.',
      `See the team:\n${PUBLIC_URL}/companies/co_9`,
      `--\n${FOOTER_EN}`,
    ));
    const given = uniqueEmail('given');
    await mailTeamJoined(t.services.db, t.services.config, AT, { to: [given], member, companyName: 'Agency', companyId: 'co_9', role: 'owner', language: 'de' });
    expect((await only(given, 'team-joined')).textBody).toContain('als Inhaber beigetreten');
  });

  it('a decline and a request for a new link tell the inviter who, about what, and where to send a new one', async () => {
    const inviter = { ...dana(uniqueEmail('inv')), language: 'xx' };
    await mailInvitationDeclined(t.services.db, AT, { inviter, email: 'clara@example.com', what: 'take over "shop"' });
    const declined = await only(inviter.email, 'invitation-declined');
    expect(declined.subject).toBe('clara@example.com declined your invitation');
    expect(declined.textBody).toBe(body('Hello Dana Dev,', 'clara@example.com declined your invitation to take over "shop".', `--\n${FOOTER_EN}`));
    const asker = { ...dana(uniqueEmail('ask')), language: 'de' };
    await mailNewInvitationRequested(t.services.db, t.services.config, AT, { inviter: asker, email: 'clara@example.com', what: 'Übernahme von „shop“', manageUrl: '/apps/shop' });
    const asked = await only(asker.email, 'invitation-new-requested');
    expect(asked.subject).toBe('clara@example.com bittet um eine neue Einladung');
    expect(asked.textBody).toBe(body(
      'Guten Tag Dana Dev,',
      'clara@example.com hat Ihre Einladung (Übernahme von „shop“) geöffnet, aber der Link funktioniert nicht mehr, und bittet Sie um einen neuen.',
      'Einen neuen Link senden Sie in der Liste der Einladungen mit „Erneut senden“.',
      `Einladungen öffnen:\n${PUBLIC_URL}/apps/shop`,
      `--\n${FOOTER_DE}`,
    ));
  });
});

describe('plain words for money, moments and people (wording.ts, ADR 0050, 0070)', () => {
  it('moments in the recipient\'s zone, else Berlin for German and UTC for English, the zone always named', () => {
    expect(mailTimeZone()).toBe('UTC');
    expect(mailTimeZone('de')).toBe('Europe/Berlin');
    expect(mailTimeZone('de', 'Asia/Tokyo')).toBe('Asia/Tokyo');
    expect(formatMoment(AT)).toBe('Thursday, 5 March 2026 at 14:30 UTC');
    expect(formatMoment(AT, 'de')).toBe('Donnerstag, 5. März 2026 um 15:30 MEZ');
    expect(formatMoment(AT, 'en', 'America/New_York')).toBe('Thursday, 5 March 2026 at 09:30 GMT-5');
    expect(formatDay(AT)).toBe('5 March 2026');
    expect(formatDay(AT, 'de')).toBe('5. März 2026');
    expect(formatMoney(EUR26)).toBe('€26.00');
    expect(formatMoney(EUR26, 'de')).toMatch(/^26,00\s€$/);
  });

  it('a person is her names, else her address, else "Someone" in the mail\'s language', () => {
    expect(personName({ firstName: 'Dana', lastName: '' })).toBe('Dana');
    expect(personName({ firstName: ' ', lastName: ' ', email: 'x@example.com' })).toBe('x@example.com');
    expect(personName({ firstName: '', lastName: '' })).toBe('Someone');
    expect(personName({ firstName: '', lastName: '' }, 'de')).toBe('Jemand');
  });
});
