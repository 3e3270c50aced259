import { useEffect, useState } from 'react';
import { apps as appsApi, companies } from '../../api/endpoints';
import type { AppSummary, BillingContact, CompanySummary } from '../../api/models';
import { Button } from '../../components/Button';
import { ErrorMessage, Loading } from '../../components/Feedback';
import { Checkbox, SelectField } from '../../components/fields';
import { Form, FormActions, invalid, toApiError, useSubmit } from '../../components/Form';
import { Page, Section } from '../../components/Layout';
import { formatMoney } from '../../format';
import { invitee } from '../../api/endpoints';
import { personName } from '../../format';
import type { InvitationLookup } from '../../api/models';
import { goToStep, rememberDone, Steps, tomorrowText } from './shared';

interface Loaded { company: CompanySummary; apps: AppSummary[]; contacts: BillingContact[] }

/**
 * For a company the client already owns: name every App the developer will see and change
 * as admin, and ask for explicit consent (sent as `consent: true`).
 */
export function Consent({ info, companyId }: { info: InvitationLookup; companyId: string }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [loadError, setLoadError] = useState('');
  const [agreed, setAgreed] = useState(false);
  const [contactId, setContactId] = useState('');
  const { busy, error, run, fieldError } = useSubmit();
  const inviter = personName(info.inviter);
  const app = info.app?.name ?? 'the website';

  useEffect(() => {
    let alive = true;
    (async () => {
      const company = (await companies.list()).items.find((c) => c.id === companyId && c.role === 'owner');
      if (!company) throw new Error('not an owned company');
      const [all, contacts] = await Promise.all([appsApi.list(), companies.billingContacts(companyId).catch(() => ({ items: [] }))]);
      if (!alive) return;
      setLoaded({ company, apps: all.items.filter((a) => a.company?.id === companyId), contacts: contacts.items });
      setContactId(contacts.items[0]?.id ?? '');
    })().catch((e) => {
      if (alive) setLoadError(e instanceof Error && e.message === 'not an owned company'
        ? 'You can only choose a company you own. Go back and choose another one.' : toApiError(e).detail);
    });
    return () => { alive = false; };
  }, [companyId]);

  const submit = () => run(async () => {
    if (!agreed) throw invalid([{ path: 'consent', message: `Tick the box to agree, or go back and choose a new company.` }]);
    const result = await invitee.accept({ company: { id: companyId }, consent: true, ...(contactId ? { billingContactId: contactId } : {}) });
    rememberDone({ appName: app, companyId: result.company.id, companyName: result.company.name, inviterName: inviter });
    goToStep('done');
  });

  // The price in the currency of the billing details the App goes on (owners see it); else the offer's.
  const currency = loaded?.contacts.find((c) => c.id === contactId)?.currency;
  const price = (currency && info.monthlyPrices?.[currency]) || info.monthlyPrice;
  const title = loaded ? `Give ${inviter} access to ${loaded.company.name}?` : 'Give access to your company?';
  return (
    <Page title={title} width="narrow">
      <Steps current="consent" />
      {loadError ? (
        <><ErrorMessage>{loadError}</ErrorMessage><Button onPress={() => goToStep('billing')}>Back</Button></>
      ) : !loaded ? <Loading /> : (
        <Form onSubmit={submit} error={error} busy={busy} label="Agree and take over">
          <Section title={`What ${inviter} will be able to do`}>
            <p>{inviter} becomes <strong>admin</strong> of {loaded.company.name}. An admin can see and change every website of the company,
              book new ones on its billing details and invite other people. An admin never sees your payment details.</p>
            <p>{inviter} will be able to see and change:</p>
            <ul className="plain-list consent-apps" aria-label={`Websites of ${loaded.company.name}`}>
              <li><strong>{app}</strong> (the website you take over)</li>
              {loaded.apps.map((a) => <li key={a.name}><strong>{a.name}</strong></li>)}
            </ul>
            {loaded.apps.length === 0 ? <p className="hint">{loaded.company.name} has no other websites yet.</p> : null}
          </Section>
          {loaded.contacts.length > 1 ? (
            <SelectField label="Billing details to use" name="billingContact" value={contactId} onChange={setContactId} isRequired
              options={loaded.contacts.map((c) => ({ value: c.id, label: c.name }))} error={fieldError('billingContactId')} />
          ) : null}
          {price ? <p>{app} costs {formatMoney(price)} a month (excluding VAT), from {tomorrowText()}.</p> : null}
          <Checkbox name="consent" isSelected={agreed} onChange={setAgreed}
            description={fieldError('consent') ? <span className="field-error">{fieldError('consent')}</span> : undefined}>
            I agree that {inviter} becomes admin of {loaded.company.name} and can see and change these websites.
          </Checkbox>
          <FormActions>
            <Button type="submit" variant="primary" busy={busy}>Agree and take over {app}</Button>
            <Button onPress={() => goToStep('billing')}>Back</Button>
          </FormActions>
        </Form>
      )}
    </Page>
  );
}
