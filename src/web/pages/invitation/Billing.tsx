import { useEffect, useState } from 'react';
import { ApiError, isApiError } from '../../api/client';
import { companies } from '../../api/endpoints';
import type { CompanySummary } from '../../api/models';
import { BillingContactFields, billingContactInput, billingContactProblems, emptyBillingContact, type BillingContactDraft } from '../../components/BillingContactFields';
import { Button } from '../../components/Button';
import { ErrorMessage, Loading } from '../../components/Feedback';
import { RadioGroup, TextField } from '../../components/fields';
import { Form, FormActions, invalid, toApiError, useSubmit } from '../../components/Form';
import { Page, Section } from '../../components/Layout';
import { formatMoney } from '../../format';
import { navigate } from '../../router';
import { CardFields, cardProblems, tokenizeCard } from '../NewCompany';
import { invitee } from '../../api/endpoints';
import { personName } from '../../format';
import type { InvitationLookup } from '../../api/models';
import { goToStep, rememberDone, Steps, tomorrowText } from './shared';

type Card = Parameters<typeof tokenizeCard>[0];

/** A declined card changes nothing: say so plainly and put the person back on the card number. */
function declinedCard(error: ApiError): ApiError {
  return new ApiError({
    status: error.status, code: error.code, title: 'Your card was declined',
    detail: 'Your card was declined. Nothing has changed and nothing was charged. Please check the card details or use another card.',
    errors: [{ path: 'card.number', message: 'This card was declined. Try another card.' }],
  });
}

function NewCompanyForm({ info, onAccepted }: { info: InvitationLookup; onAccepted: (company: { id: string; name: string }) => void }) {
  const [name, setName] = useState('');
  const [contact, setContact] = useState<BillingContactDraft>(() => emptyBillingContact({
    invoiceEmail: info.email, currency: info.monthlyPrice?.currency ?? 'EUR',
  }));
  const [card, setCard] = useState<Card>({ number: '', expiry: '', cvc: '' });
  const { busy, error, run, fieldError } = useSubmit();
  const app = info.app?.name ?? 'the website';
  const price = info.monthlyPrices?.[contact.currency] ?? info.monthlyPrice;

  const submit = () => run(async () => {
    const problems = [
      ...(!name.trim() ? [{ path: 'company.name', message: 'Enter your company’s name, or your own name.' }] : []),
      ...billingContactProblems(contact),
      ...cardProblems(card),
    ];
    if (problems.length) throw invalid(problems);
    const token = await tokenizeCard(card);
    try {
      const result = await invitee.accept({ company: { name: name.trim() }, billingContact: billingContactInput(contact), paymentMethod: { token } });
      onAccepted(result.company);
    } catch (caught) {
      if (isApiError(caught, 'payment_declined')) throw declinedCard(caught);
      throw caught;
    }
  });

  return (
    <Form onSubmit={submit} error={error} busy={busy} label="Your company and billing details">
      <Section title="Your company">
        <div className="form">
          <TextField label="Company name" name="companyName" value={name} onChange={setName} isRequired autoComplete="organization"
            error={fieldError('company.name') ?? fieldError('company')}
            description={`Your business, or simply your own name. ${app} will belong to it.`} />
        </div>
      </Section>
      <Section title="Billing details">
        <p className="hint">Who receives the invoices.</p>
        <div className="form">
          <BillingContactFields value={contact} onChange={setContact} fieldError={fieldError}
            currencyHint="The currency of your invoices. It cannot be changed later." />
        </div>
      </Section>
      <Section title="Payment card">
        <p className="hint">Your card goes straight to our payment provider. We keep only its brand and last four digits; {personName(info.inviter)} never sees it.</p>
        <div className="form"><CardFields card={card} onChange={setCard} fieldError={fieldError} /></div>
      </Section>
      {price ? (
        <p className="price-line" aria-live="polite">
          You pay <strong className="price">{formatMoney(price)}</strong> a month (excluding VAT) from {tomorrowText()}.
        </p>
      ) : null}
      <FormActions>
        <Button type="submit" variant="primary" busy={busy}>Accept and take over {app}</Button>
      </FormActions>
    </Form>
  );
}

/** Step 3: a new company with billing details and a card, or one the client already owns (then the consent step). */
export function Billing({ info }: { info: InvitationLookup }) {
  const [owned, setOwned] = useState<CompanySummary[] | null>(null);
  const [loadError, setLoadError] = useState('');
  const [choice, setChoice] = useState('new');
  const [choiceError, setChoiceError] = useState<string | undefined>();
  const app = info.app?.name ?? 'the website';
  const inviter = personName(info.inviter);

  useEffect(() => {
    companies.list().then(
      (list) => setOwned(list.items.filter((c) => c.role === 'owner')),
      (error) => setLoadError(toApiError(error).detail),
    );
  }, []);

  const accepted = (company: { id: string; name: string }) => {
    rememberDone({ appName: app, companyId: company.id, companyName: company.name, inviterName: inviter });
    goToStep('done');
  };

  return (
    <Page title="Who pays for it?" width="narrow" lead={`${app} will belong to a company: your business, or just you. Its billing details go on the invoices.`}>
      <Steps current="billing" />
      {loadError ? <ErrorMessage>{loadError}</ErrorMessage> : owned === null ? <Loading /> : (
        <>
          {owned.length ? (
            <div className="form choice-form">
              <RadioGroup legend={`Which company should own ${app}?`} name="company" value={choice} error={choiceError}
                onChange={(v) => { setChoice(v); setChoiceError(undefined); }}
                options={[
                  ...owned.map((c) => ({ value: c.id, label: c.name, hint: 'A company you own. Its billing details are used.' })),
                  { value: 'new', label: 'A new company', hint: 'Enter billing details and a card.' },
                ]} />
              {choice !== 'new' ? (
                <FormActions>
                  <Button variant="primary" onPress={() => goToStep('consent', { company: choice })}>Continue</Button>
                  <Button onPress={() => navigate('/invitation')}>Back to the offer</Button>
                </FormActions>
              ) : null}
            </div>
          ) : null}
          {choice === 'new' ? <NewCompanyForm info={info} onAccepted={accepted} /> : null}
        </>
      )}
    </Page>
  );
}
