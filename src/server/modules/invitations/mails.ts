import { builderOf, type WriteTarget } from '../../db/writeBatch.js';
import { accountsRepo } from '../accounts/repo.js';
import type { Config } from '../../config.js';
import { enqueueMail } from '../mail/outbox.js';
import type { Money } from '../plans/pricing.js';
import { createTranslator, DEFAULT_LANGUAGE, isLanguage, type Language } from '../../../shared/i18n/index.js';
import { formatDay, formatMoment, formatMoney, personName } from './wording.js';
import { cardBrandName, clientPlanWords, countryName, formatNumber } from '../../../shared/format.js';
import { webAddressOf } from '../../../shared/hostname.js';
import type { AcceptSummary } from './summary.js';
import type { Quote } from '../billing/quote.js';

/** "€26.00 plus 19 % VAT (€4.94) = €30.94 a month", or the words for no VAT, in the mail's language. */
export function monthlyInWords(quote: Quote, lang: Language): string {
  const t = createTranslator(lang);
  const net = formatMoney(quote.monthly.net, lang);
  if (quote.vatRate === 0) return t('client.money.breakdownNoVat', { net });
  return t('client.money.breakdown', { net, rate: formatNumber(quote.vatRate, lang), vat: formatMoney(quote.monthly.vat, lang), gross: formatMoney(quote.monthly.gross, lang) });
}

function summaryLines(s: AcceptSummary, lang: Language): string[] {
  const t = createTranslator(lang);
  const day = (d: string) => formatDay(new Date(`${d}T00:00:00Z`), lang);
  const c = s.billingContact;
  const address = [c.name, c.line1, c.line2, `${c.postalCode} ${c.city}`, countryName(c.country, lang)].filter(Boolean).join(', ');
  return [
    t('client.mail.summaryPlan', { plan: clientPlanWords(s.plan, lang) }),
    t('client.mail.summaryMonthly', { amount: monthlyInWords(s.quote, lang) }),
    t('client.mail.summaryFirst', { date: day(s.quote.firstInvoice.issuedOn), from: day(s.quote.firstInvoice.fromDay), to: day(s.quote.firstInvoice.toDay), gross: formatMoney(s.quote.firstInvoice.gross, lang) }),
    // A SEPA mandate has no brand (ADR 0096).
    s.card.brand ? t('client.mail.summaryCard', { brand: cardBrandName(s.card.brand), last4: s.card.last4 }) : t('client.mail.summaryDebit', { last4: s.card.last4 }),
    t('client.mail.summaryAddress', { address }),
  ];
}

/**
 * The invitation and handover mails. Their words come from the shared catalogue (`mail.*`
 * in src/shared/i18n); each mail is rendered in its recipient's language, English unless
 * the caller knows better (ADR 0050). `lang` is that language for every function here; an
 * invitation to an address goes in the inviter's language and zone (the recipient may have no Account).
 */
type Lang = { language?: Language | null; timeZone?: string | null };
const words = (language: Language | null | undefined) => {
  const lang = language ?? DEFAULT_LANGUAGE;
  return { lang, t: createTranslator(lang) };
};

type Person = { firstName: string; lastName: string; email: string };
/** A person whose Account's language may be known (read with the row, no extra query). */
type Speaker = Person & { language?: string | null };
const spoken = (p: Speaker, fallback: Language | null | undefined) => (isLanguage(p.language) ? p.language : fallback);

export function invitationLink(config: Config, token: string): string {
  // Built from PUBLIC_URL only, never from the request's Host or X-Forwarded-Host.
  return `${config.publicUrl}/invite/${token}`;
}

export async function mailClientInvitation(tx: WriteTarget, config: Config, at: Date, m: Lang & {
  to: string; clientName: string | null; inviter: Person; appName: string; price: Money; otherPrice: Money;
  message: string | null; expiresAt: Date; token: string;
}) {
  const { lang, t } = words(m.language);
  const inviter = personName(m.inviter, lang);
  const app = m.appName;
  await enqueueMail(tx, {
    kind: 'client-invitation',
    to: m.to,
    language: lang,
    subject: t('mail.clientInvitation.subject', { inviter, app }),
    paragraphs: [
      m.clientName ? t('mail.helloNamed', { name: m.clientName }) : t('mail.hello'),
      t('mail.clientInvitation.built', { inviter, email: m.inviter.email, app }),
      ...(m.message ? [t('mail.clientInvitation.writes', { inviter, message: m.message })] : []),
      t('mail.clientInvitation.whatHappens', {
        app, inviter, price: formatMoney(m.price, lang), otherPrice: formatMoney(m.otherPrice, lang), otherCurrency: m.otherPrice.currency,
      }),
      t('mail.clientInvitation.needs', { until: formatMoment(m.expiresAt, lang, m.timeZone) }),
    ],
    action: { label: t('mail.clientInvitation.action'), url: invitationLink(config, m.token) },
    footer: t('mail.clientInvitation.footer', { inviter }),
  }, at);
}

export async function mailHandoverDone(tx: WriteTarget, config: Config, at: Date, m: Lang & {
  client: Speaker; inviter: Speaker; appName: string; companyName: string; companyId: string; price: Money; payFrom: Date;
  previousOwners: string[];
  /** What was agreed (issue 17): plan, monthly amount with VAT, card, billing address. */
  summary?: AcceptSummary;
}) {
  // The client and the inviter each in their own Account's language (both read with this request's
  // rows); the previous owners, usually the inviter's colleagues, in the inviter's (ADR 0050, 0070).
  const app = m.appName;
  const company = m.companyName;
  const companyUrl = `${config.publicUrl}/companies/${m.companyId}`;
  {
    const { lang, t } = words(spoken(m.client, m.language));
    const inviter = personName(m.inviter, lang);
    const client = personName(m.client, lang);
    const day = formatDay(m.payFrom, lang);
    await enqueueMail(tx, {
      kind: 'handover-confirmation', to: m.client.email, language: lang,
      subject: t('mail.handoverDone.subject', { app }),
      paragraphs: [
        t('mail.helloNamed', { name: client }),
        t('mail.handoverDone.owned', { app, company, price: formatMoney(m.price, lang), day }),
        t('mail.handoverDone.admin', { inviter, company }),
        t('client.mail.webAddress', { url: webAddressOf(m.appName, config.appsDomain) }),
        ...(m.summary ? summaryLines(m.summary, lang) : []),
      ],
      action: m.summary ? { label: t('client.mail.summaryAction'), url: m.summary.billingUrl } : { label: t('mail.handoverDone.action'), url: companyUrl },
    }, at);
  }
  const { lang, t } = words(spoken(m.inviter, m.language));
  const inviter = personName(m.inviter, lang);
  const client = personName(m.client, lang);
  const day = formatDay(m.payFrom, lang);
  await enqueueMail(tx, {
    kind: 'handover-inviter', to: m.inviter.email, language: lang,
    subject: t('mail.handoverInviter.subject', { client, app, company }),
    paragraphs: [
      t('mail.helloNamed', { name: inviter }),
      t('mail.handoverInviter.accepted', { client, app, company, day }),
      t('mail.handoverInviter.admin', { company }),
    ],
    action: { label: t('mail.handoverInviter.action'), url: companyUrl },
  }, at);
  for (const owner of m.previousOwners) {
    await enqueueMail(tx, {
      kind: 'handover-previous-owner', to: owner, language: lang,
      subject: t('mail.handoverPrevious.subject', { app, client }),
      paragraphs: [t('mail.handoverPrevious.body', { app, company, inviter, day: formatDay(at, lang) })],
    }, at);
  }
}

export async function mailNewInvitationRequested(tx: WriteTarget, config: Config, at: Date, m: Lang & {
  inviter: Speaker; email: string; what: string; manageUrl: string;
}) {
  const { lang, t } = words(spoken(m.inviter, m.language));
  await enqueueMail(tx, {
    kind: 'invitation-new-requested', to: m.inviter.email, language: lang,
    subject: t('mail.newRequested.subject', { email: m.email }),
    paragraphs: [
      t('mail.helloNamed', { name: personName(m.inviter, lang) }),
      t('mail.newRequested.body', { email: m.email, what: m.what }),
      t('mail.newRequested.resend'),
    ],
    action: { label: t('mail.newRequested.action'), url: `${config.publicUrl}${m.manageUrl}` },
  }, at);
}

export async function mailInvitationDeclined(tx: WriteTarget, at: Date, m: Lang & { inviter: Speaker; email: string; what: string }) {
  const { lang, t } = words(spoken(m.inviter, m.language));
  await enqueueMail(tx, {
    kind: 'invitation-declined', to: m.inviter.email, language: lang,
    subject: t('mail.declined.subject', { email: m.email }),
    paragraphs: [t('mail.helloNamed', { name: personName(m.inviter, lang) }), t('mail.declined.body', { email: m.email, what: m.what })],
  }, at);
}

const ROLES = ['owner', 'admin', 'collaborator', 'accountant'] as const;
const isRole = (role: string): role is (typeof ROLES)[number] => (ROLES as readonly string[]).includes(role);

export async function mailTeamInvitation(tx: WriteTarget, config: Config, at: Date, m: Lang & {
  to: string; inviter: Person; companyName: string; role: string; appNames: string[]; expiresAt: Date; token: string;
}) {
  const { lang, t } = words(m.language);
  const inviter = personName(m.inviter, lang);
  const company = m.companyName;
  await enqueueMail(tx, {
    kind: 'team-invitation', to: m.to, language: lang,
    subject: t('mail.teamInvitation.subject', { inviter, company }),
    paragraphs: [
      t('mail.hello'),
      t('mail.teamInvitation.body', { inviter, email: m.inviter.email, company, role: isRole(m.role) ? t(`mail.teamInvitation.roles.${m.role}`) : m.role }),
      ...(m.appNames.length ? [t('mail.teamInvitation.apps', { apps: m.appNames.join(', ') })] : []),
      t('mail.teamInvitation.until', { until: formatMoment(m.expiresAt, lang, m.timeZone) }),
    ],
    action: { label: t('mail.teamInvitation.action'), url: invitationLink(config, m.token) },
    footer: t('mail.teamInvitation.footer', { inviter }),
  }, at);
}

/** To the inviter and the owners, each in their Account's language (one query), unless the caller gives one. */
export async function mailTeamJoined(tx: WriteTarget, config: Config, at: Date, m: Lang & { to: string[]; member: Person; companyName: string; companyId: string; role: string }) {
  const recipients = [...new Set(m.to)];
  const prefsOf = m.language ? null : await accountsRepo.mailPrefsFor(builderOf(tx), recipients);
  for (const to of recipients) {
    const { lang, t } = words(m.language ?? prefsOf!(to).language);
    const member = personName(m.member, lang);
    const role = isRole(m.role) ? t(`rolesInSentence.${m.role}`) : m.role;
    await enqueueMail(tx, {
      kind: 'team-joined', to, language: lang,
      subject: t('mail.teamJoined.subject', { member, company: m.companyName }),
      paragraphs: [t('mail.teamJoined.body', { member, email: m.member.email, company: m.companyName, role })],
      action: { label: t('mail.team.action'), url: `${config.publicUrl}/companies/${m.companyId}` },
    }, at);
  }
}
