import { useTranslation } from 'react-i18next';
import { useState } from 'react';
import { companies } from '../api/endpoints';
import { BillingContactFields, billingContactInput, billingContactProblems, emptyBillingContact, type BillingContactDraft } from '../components/BillingContactFields';
import { Button } from '../components/Button';
import { Callout } from '../components/Feedback';
import { TextField } from '../components/fields';
import { Form, FormActions, invalid, useSubmit } from '../components/Form';
import { Page, Section } from '../components/Layout';
import { cardProblems, parseExpiry } from '../card';
import { CardFields, tokenizeCard, useCardForm } from '../components/PaymentCard';

// Kept importable from here for the invitation pages.
export { CardFields, cardProblems, parseExpiry, tokenizeCard };
import { navigate } from '../router';


export function NewCompanyPage() {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [contact, setContact] = useState<BillingContactDraft>(() => emptyBillingContact());
  const card = useCardForm({ purpose: 'company' }, contact.currency === 'USD' ? 'USD' : 'EUR');
  const { busy, error, run, fieldError } = useSubmit();

  const submit = () => run(async () => {
    const missing = [
      ...(name.trim() ? [] : [{ path: 'name', message: t('newCompany.missingName') }]),
      ...billingContactProblems(contact),
    ];
    const problems = [...missing, ...card.problems()];
    if (problems.length) throw invalid(problems);
    const token = await card.tokenize();
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
          <div className="form">{card.fields(fieldError)}</div>
        </Section>
        <FormActions><Button type="submit" variant="primary" busy={busy}>{t('newCompany.submit')}</Button></FormActions>
      </Form>
    </Page>
  );
}
