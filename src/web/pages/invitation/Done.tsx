import { useTranslation } from 'react-i18next';
import { LinkButton } from '../../components/Button';
import { Page, Section } from '../../components/Layout';
import { useFormat } from '../../i18n';
import { cardBrandName, clientPlanWords } from '../../../shared/format';
import { isLanguage } from '../../../shared/i18n/index';
import type { AcceptSummary } from '../../api/models';
import { useMonthlyWords } from './PriceBreakdown';
import { Steps, type DoneFacts } from './shared';

/** What was agreed, as the confirmation mail repeats it: plan, monthly amount with VAT, card, billing address (issue 17). */
function Agreed({ summary, companyPage }: { summary: AcceptSummary; companyPage: string }) {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const monthly = useMonthlyWords();
  const c = summary.billingContact;
  const day = (d: string) => f.longDate(`${d}T12:00:00Z`);
  return (
    <Section title={t('client.done.summaryTitle')}>
      <dl className="facts">
        <div><dt>{t('client.done.plan')}</dt><dd>{clientPlanWords(summary.plan, isLanguage(i18n.language) ? i18n.language : 'en')}</dd></div>
        <div><dt>{t('client.done.monthly')}</dt><dd>{monthly(summary.quote)}</dd></div>
        {/* A SEPA mandate has no brand (ADR 0096). */}
        {summary.card.brand
          ? <div><dt>{t('client.done.card')}</dt><dd>{t('client.done.cardValue', { brand: cardBrandName(summary.card.brand), last4: summary.card.last4 })}</dd></div>
          : <div><dt>{t('client.done.debit')}</dt><dd>{t('client.done.debitValue', { last4: summary.card.last4 })}</dd></div>}
        <div><dt>{t('client.done.billingAddress')}</dt><dd>
          <address>{[c.name, c.line1, c.line2, `${c.postalCode} ${c.city}`, f.country(c.country)].filter(Boolean).map((line) => <span key={line} className="address-line">{line}</span>)}</address>
        </dd></div>
      </dl>
      <p>{t('client.money.firstInvoice', { date: day(summary.quote.firstInvoice.issuedOn), from: day(summary.quote.firstInvoice.fromDay), to: day(summary.quote.firstInvoice.toDay), gross: f.money(summary.quote.firstInvoice.gross) })}</p>
      <LinkButton to={`${companyPage}?tab=billing`}>{t('client.done.goToBilling')}</LinkButton>
    </Section>
  );
}

/** Step 4: the client owns the App; what was agreed, where to manage billing and team, and how to remove the developer. */
export function Done({ facts }: { facts: DoneFacts }) {
  const { t } = useTranslation();
  const companyPage = `/companies/${encodeURIComponent(facts.companyId)}`;
  const values = { app: facts.appName, company: facts.companyName, inviter: facts.inviterName };
  return (
    <Page title={t('invitation.done.title', values)} width="narrow" lead={t('invitation.done.lead', values)}>
      <Steps current="done" />
      <div role="status" className="notice notice-success">
        <p className="notice-title">{t('invitation.done.allSet')}</p>
        <p>{t('invitation.done.belongs', values)}</p>
      </div>
      {facts.summary ? <Agreed summary={facts.summary} companyPage={companyPage} /> : null}
      <Section title={t('invitation.done.billingTeam')}>
        <p>{t('invitation.done.billingTeamBody', values)}</p>
        <LinkButton to={companyPage} variant="primary">{t('invitation.done.goTo', values)}</LinkButton>
      </Section>
      <Section title={t('invitation.done.stopTitle', values)}>
        <p>{t('invitation.done.stopBody', values)}</p>
      </Section>
    </Page>
  );
}
