import { useTranslation } from 'react-i18next';
import { useState } from 'react';
import { ApiError } from '../api/client';
import { companies, paymentSandbox } from '../api/endpoints';
import { BillingContactFields, billingContactInput, billingContactProblems, emptyBillingContact, type BillingContactDraft } from '../components/BillingContactFields';
import { Button } from '../components/Button';
import { Callout } from '../components/Feedback';
import { TextField } from '../components/fields';
import { Form, FormActions, invalid, useSubmit } from '../components/Form';
import { Page, Section } from '../components/Layout';
import { cardProblems, parseExpiry, type CardInput } from '../card';

// Kept importable from here for the invitation pages.
export { cardProblems, parseExpiry };
import { navigate } from '../router';


/**
 * Hands the card to the payment provider (here the sandbox) and returns its token: the card
 * number never goes to our own API. Errors are mapped onto the card fields.
 */
export async function tokenizeCard(card: CardInput): Promise<string> {
  const problems = cardProblems(card);
  if (problems.length) throw invalid(problems);
  const number = card.number.replace(/[\s-]/g, '');
  const expiry = parseExpiry(card.expiry);
  try {
    const result = await paymentSandbox.tokenize({ number, expMonth: expiry!.expMonth, expYear: expiry!.expYear, cvc: card.cvc.trim() });
    return result.token;
  } catch (error) {
    if (error instanceof ApiError) {
      const map: Record<string, string> = { number: 'card.number', expMonth: 'card.expiry', expYear: 'card.expiry', cvc: 'card.cvc' };
      throw new ApiError({ status: error.status, code: error.code, title: error.title, detail: error.detail,
        errors: error.errors.map((e) => ({ path: map[e.path] ?? e.path, message: e.message })) });
    }
    throw error;
  }
}

export function CardFields({ card, onChange, fieldError }: { card: CardInput; onChange: (card: CardInput) => void; fieldError: (path: string) => string | undefined }) {
  const { t } = useTranslation();
  const paymentError = fieldError('paymentMethod') ?? fieldError('paymentMethod.token');
  return (
    <>
      <TextField label={t('card.number')} name="cardNumber" value={card.number} onChange={(number) => onChange({ ...card, number })}
        isRequired autoComplete="cc-number" inputMode="numeric" spellCheck={false}
        error={fieldError('card.number') ?? paymentError} />
      <div className="field-row">
        <TextField label={t('card.expiry')} name="cardExpiry" value={card.expiry} onChange={(expiry) => onChange({ ...card, expiry })}
          isRequired autoComplete="cc-exp" inputMode="numeric" placeholder={t('card.expiryFormat')} description={t('card.expiryFormat')} error={fieldError('card.expiry')} />
        <TextField label={t('card.cvc')} name="cardCvc" value={card.cvc} onChange={(cvc) => onChange({ ...card, cvc })}
          isRequired autoComplete="cc-csc" inputMode="numeric" description={t('card.cvcHint')} error={fieldError('card.cvc')} />
      </div>
    </>
  );
}

export function NewCompanyPage() {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [contact, setContact] = useState<BillingContactDraft>(() => emptyBillingContact());
  const [card, setCard] = useState<CardInput>({ number: '', expiry: '', cvc: '' });
  const { busy, error, run, fieldError } = useSubmit();

  const submit = () => run(async () => {
    const missing = [
      ...(name.trim() ? [] : [{ path: 'name', message: t('newCompany.missingName') }]),
      ...billingContactProblems(contact),
    ];
    const problems = [...missing, ...cardProblems(card)];
    if (problems.length) throw invalid(problems);
    const token = await tokenizeCard(card);
    const company = await companies.create({
      name: name.trim(),
      billingContact: billingContactInput(contact),
      paymentMethod: { token },
    });
    navigate(`/companies/${encodeURIComponent(company.id)}`, { flash: t('newCompany.done', { name: company.name }) });
  });

  return (
    <Page title={t('newCompany.title')} lead={t('newCompany.lead')}>
      <Callout title={t('newCompany.forClientTitle')}>
        <p>{t('newCompany.forClientBody')}</p>
      </Callout>
      <Form onSubmit={submit} error={error} busy={busy} label={t('newCompany.title')}>
        <Section title={t('newCompany.company')}>
          <TextField label={t('newCompany.name')} name="name" value={name} onChange={setName} isRequired autoComplete="organization"
            error={fieldError('name')} />
        </Section>
        <Section title={t('newCompany.contact')}>
          <p className="hint">{t('newCompany.contactHint')}</p>
          <div className="form">
            <BillingContactFields value={contact} onChange={setContact} fieldError={fieldError} />
          </div>
        </Section>
        <Section title={t('newCompany.card')}>
          <p className="hint">{t('newCompany.cardHint')}</p>
          <div className="form"><CardFields card={card} onChange={setCard} fieldError={fieldError} /></div>
        </Section>
        <FormActions><Button type="submit" variant="primary" busy={busy}>{t('newCompany.submit')}</Button></FormActions>
      </Form>
    </Page>
  );
}
