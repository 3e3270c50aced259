import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { invitee } from '../../api/endpoints';
import type { InvitationLookup } from '../../api/models';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/Dialog';
import { Page, Section } from '../../components/Layout';
import { personName } from '../../format';
import { useFormat } from '../../i18n';
import { useSession } from '../../session';
import { queries } from '../../api/queries';
import { goToStep, signedInAsInvited, Steps, tomorrow } from './shared';
import { useQuote } from './PriceBreakdown';

const strong = { strong: <strong /> };

/** Step 1: what is offered, what it costs and what will happen. No login needed to read it. */
export function Offer({ info, onDeclined }: { info: InvitationLookup; onDeclined: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { me } = useSession();
  const [declining, setDeclining] = useState(false);
  const inviter = personName(info.inviter);
  const app = info.app?.name ?? t('invitation.theWebsite');
  const price = info.monthlyPrice ? f.money(info.monthlyPrice) : '';
  const other = info.monthlyPrices && info.monthlyPrice
    ? Object.values(info.monthlyPrices).find((m) => m.currency !== info.monthlyPrice!.currency) : undefined;
  const next = () => goToStep(signedInAsInvited(me, info) ? 'billing' : 'account');
  // Before any address is typed: the VAT of the seller's own country, and what the first invoice would be.
  const sellerCountry = useQuery(queries.site()).data?.seller.country;
  const quote = useQuote(sellerCountry ? { country: sellerCountry, currency: info.monthlyPrice?.currency } : null).data;
  const day = (d: string) => f.longDate(`${d}T12:00:00Z`);
  return (
    <Page title={t('invitation.offer.title', { inviter, app })} width="narrow"
      lead={info.clientName ? t('invitation.offer.leadNamed', { name: info.clientName }) : t('invitation.offer.lead')}>
      <Steps current="offer" />
      {info.message ? (
        <figure className="invite-message">
          <blockquote><p>{info.message}</p></blockquote>
          <figcaption>— {inviter}</figcaption>
        </figure>
      ) : null}
      <Section title={t('invitation.offer.price')}>
        <p className="offer-price"><Trans i18nKey="invitation.offer.perMonth" values={{ price }} components={{ strong: <strong className="price" /> }} /></p>
        {other ? <p className="hint">{t('invitation.offer.otherCurrency', { price: f.money(other), currency: t(`common.currency.${other.currency}`) })}</p> : null}
        {quote && sellerCountry ? (
          <>
            <p>{quote.vatRate ? t('client.money.vatFor', { rate: quote.vatRate.toLocaleString(f.locale), country: f.country(sellerCountry), gross: f.money(quote.monthly.gross) }) : null} {t('client.money.vatDepends')}</p>
            <p>{t('invitation.offer.payFrom', { date: f.longDate(tomorrow()) })} {t('client.money.firstInvoice', {
              date: day(quote.firstInvoice.issuedOn), from: day(quote.firstInvoice.fromDay), to: day(quote.firstInvoice.toDay), gross: f.money(quote.firstInvoice.gross),
            })}</p>
          </>
        ) : <p>{t('invitation.offer.payFrom', { date: f.longDate(tomorrow()) })}</p>}
      </Section>
      <Section title={t('client.offer.howToEnd')}>
        <p>{t('client.offer.howToEndBody')}</p>
      </Section>
      <Section title={t('invitation.offer.whatHappens')}>
        <ul className="plain-list">
          <li><Trans i18nKey="invitation.offer.owner" values={{ app }} components={strong} /></li>
          <li>{t('invitation.offer.keepsWorking', { inviter })}</li>
          <li>{t('invitation.offer.youDecide', { inviter })}</li>
          <li>{t('invitation.offer.neverSees', { inviter })}</li>
        </ul>
      </Section>
      <p className="hint"><Trans i18nKey="invitation.validFor" values={{ email: info.email, until: f.longDateTime(info.expiresAt) }} components={strong} /></p>
      <div className="form-actions offer-actions">
        <Button variant="primary" onPress={next}>{t('client.offer.acceptAndContinue')}</Button>
        <Button onPress={() => setDeclining(true)}>{t('invitation.decline')}</Button>
      </div>
      <ConfirmDialog isOpen={declining} onClose={() => setDeclining(false)} title={t('invitation.declineTitle')} confirmLabel={t('invitation.decline')}
        onConfirm={async () => { await invitee.decline(); onDeclined(); }}>
        <p>{t('invitation.declineBody', { inviter })}</p>
      </ConfirmDialog>
    </Page>
  );
}
