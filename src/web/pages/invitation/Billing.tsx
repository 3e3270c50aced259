import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { ApiError, isApiError } from '../../api/client';
import { invitee } from '../../api/endpoints';
import type { InvitationLookup } from '../../api/models';
import { queries } from '../../api/queries';
import { BillingContactFields, billingContactInput, billingContactProblems, emptyBillingContact, type BillingContactDraft } from '../../components/BillingContactFields';
import { Button } from '../../components/Button';
import { RadioGroup, TextField } from '../../components/fields';
import { Form, FormActions, invalid, useSubmit } from '../../components/Form';
import { Page, Section } from '../../components/Layout';
import { QueryState } from '../../components/QueryState';
import { personName } from '../../format';
import { i18n, useFormat } from '../../i18n';
import { navigate } from '../../router';
import { useCardForm } from '../../components/PaymentCard';
import { goToStep, rememberDone, Steps } from './shared';
import { PriceBreakdown, useMonthlyWords, useQuote } from './PriceBreakdown';
import { ExpiredWhileFilling, whyItStopped, type StoppedReason } from './ExpiredWhileFilling';
import type { AcceptSummary } from '../../api/models';


/** A declined card changes nothing: say so plainly and put the person back on the card number. */
function declinedCard(error: ApiError): ApiError {
  return new ApiError({
    status: error.status, code: error.code, title: i18n.t('invitation.billing.declinedTitle'),
    detail: i18n.t('invitation.billing.declined'),
    errors: [{ path: 'card.number', message: i18n.t('invitation.billing.declinedField') }],
  });
}

function NewCompanyForm({ info, onAccepted }: { info: InvitationLookup; onAccepted: (company: { id: string; name: string }, summary?: AcceptSummary) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const monthlyWords = useMonthlyWords();
  // Kept when the invitation expires meanwhile: the form stays filled in (issue 17).
  const [stopped, setStopped] = useState<StoppedReason | null>(null);
  const [name, setName] = useState('');
  const [contact, setContact] = useState<BillingContactDraft>(() => emptyBillingContact({
    invoiceEmail: info.email, currency: info.monthlyPrice?.currency ?? 'EUR',
  }));
  // The sandbox's fields or Stripe's Payment Element, as the server is set up (issue 15, ADR 0085).
  const card = useCardForm({ purpose: 'handover' }, contact.currency === 'USD' ? 'USD' : 'EUR');
  const { busy, error, run, fieldError } = useSubmit();
  const app = info.app?.name ?? t('invitation.theWebsite');
  const price = info.monthlyPrices?.[contact.currency] ?? info.monthlyPrice;
  const quote = useQuote(contact.country ? { country: contact.country, vatNumber: contact.vatNumber.trim() || undefined, currency: contact.currency } : null).data;

  const submit = () => run(async () => {
    const problems = [
      ...(!name.trim() ? [{ path: 'company.name', message: t('invitation.billing.missingCompany') }] : []),
      ...billingContactProblems(contact),
      ...card.problems(),
    ];
    if (problems.length) throw invalid(problems);
    const token = await card.tokenize();
    try {
      const result = await invitee.accept({ company: { name: name.trim() }, billingContact: billingContactInput(contact), paymentMethod: { token } });
      onAccepted(result.company, result.summary);
    } catch (caught) {
      if (isApiError(caught, 'payment_declined')) throw declinedCard(caught);
      if (isApiError(caught, 'invitation_invalid')) { setStopped(await whyItStopped(caught)); return; }
      throw caught;
    }
  });

  return (
    <Form onSubmit={submit} error={error} busy={busy} label={t('invitation.billing.formLabel')}>
      <Section title={t('invitation.billing.company')}>
        <div className="form">
          <TextField label={t('invitation.billing.companyName')} name="companyName" value={name} onChange={setName} isRequired autoComplete="organization"
            error={fieldError('company.name') ?? fieldError('company')}
            description={t('invitation.billing.companyNameHint', { app })} />
        </div>
      </Section>
      <Section title={t('invitation.billing.details')}>
        <p className="hint">{t('invitation.billing.detailsHint')}</p>
        <div className="form">
          <BillingContactFields value={contact} onChange={setContact} fieldError={fieldError}
            currencyHint={t('invitation.billing.currencyHint')} />
        </div>
      </Section>
      <Section title={t('invitation.billing.card')}>
        <p className="hint">{t('invitation.billing.cardHint', { inviter: personName(info.inviter) })}</p>
        <div className="form">{card.fields(fieldError)}</div>
      </Section>
      {quote ? <PriceBreakdown quote={quote} /> : price ? (
        <p className="price-line" aria-live="polite">
          <Trans i18nKey="client.money.monthlyNet" values={{ net: f.money(price) }} />
        </p>
      ) : null}
      {stopped ? <ExpiredWhileFilling info={info} reason={stopped} /> : (
        <>
          <p className="hint">{t('client.billingStep.acceptAndPayHint', { app })}</p>
          <FormActions>
            <Button type="submit" variant="primary" busy={busy}>
              {quote ? t('client.billingStep.acceptAndPay', { gross: f.money(quote.monthly.gross) }) : t('invitation.billing.accept', { app })}
            </Button>
          </FormActions>
          {quote ? <p className="visually-hidden">{monthlyWords(quote)}</p> : null}
        </>
      )}
    </Form>
  );
}

/** Step 3: a new company with billing details and a card, or one the client already owns (then the consent step). */
export function Billing({ info }: { info: InvitationLookup }) {
  const { t } = useTranslation();
  const companies = useQuery(queries.myCompanies());
  const [choice, setChoice] = useState('new');
  const [choiceError, setChoiceError] = useState<string | undefined>();
  const app = info.app?.name ?? t('invitation.theWebsite');
  const inviter = personName(info.inviter);

  const accepted = (company: { id: string; name: string }, summary?: AcceptSummary) => {
    rememberDone({ appName: app, companyId: company.id, companyName: company.name, inviterName: inviter, ...(summary ? { summary } : {}) });
    goToStep('done');
  };

  return (
    <Page title={t('invitation.billing.title')} width="narrow" lead={t('invitation.billing.lead', { app })}>
      <Steps current="billing" />
      <QueryState query={companies}>{(all) => {
        const owned = all.filter((c) => c.role === 'owner');
        return (
          <>
            {owned.length ? (
              <div className="form choice-form">
                <RadioGroup legend={t('invitation.billing.whichCompany', { app })} name="company" value={choice} error={choiceError}
                  onChange={(v) => { setChoice(v); setChoiceError(undefined); }}
                  options={[
                    ...owned.map((c) => ({ value: c.id, label: c.name, hint: t('invitation.billing.ownedHint') })),
                    { value: 'new', label: t('invitation.billing.newCompany'), hint: t('invitation.billing.newCompanyHint') },
                  ]} />
                {choice !== 'new' ? (
                  <FormActions>
                    <Button variant="primary" onPress={() => goToStep('consent', { company: choice })}>{t('invitation.billing.continue')}</Button>
                    <Button onPress={() => navigate('/invitation')}>{t('invitation.billing.backToOffer')}</Button>
                  </FormActions>
                ) : null}
              </div>
            ) : null}
            {choice === 'new' ? <NewCompanyForm info={info} onAccepted={accepted} /> : null}
          </>
        );
      }}</QueryState>
    </Page>
  );
}
