import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { invitee } from '../../api/endpoints';
import type { BillingContact, InvitationLookup } from '../../api/models';
import { queries } from '../../api/queries';
import { Button } from '../../components/Button';
import { ErrorMessage, Loading } from '../../components/Feedback';
import { Checkbox, SelectField } from '../../components/fields';
import { Form, FormActions, invalid, toApiError, useSubmit } from '../../components/Form';
import { Page, Section } from '../../components/Layout';
import { personName } from '../../format';
import { useFormat } from '../../i18n';
import { goToStep, rememberDone, Steps, tomorrow } from './shared';
import { ExpiredWhileFilling, whyItStopped, type StoppedReason } from './ExpiredWhileFilling';

const strong = { strong: <strong /> };

/**
 * For a company the client already owns: name every App the developer will see and change
 * as admin, and ask for explicit consent (sent as `consent: true`).
 */
export function Consent({ info, companyId }: { info: InvitationLookup; companyId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const companies = useQuery(queries.myCompanies());
  const apps = useQuery(queries.myApps());
  const contacts = useQuery(queries.billingContacts(companyId));
  const [agreed, setAgreed] = useState(false);
  const [chosenContact, setContactId] = useState<string | null>(null);
  // The invitation may stop working while this page is open: say why, and the way on (issue 17).
  const [stopped, setStopped] = useState<StoppedReason | null>(null);
  const { busy, error, run, fieldError } = useSubmit();
  const inviter = personName(info.inviter);
  const app = info.app?.name ?? t('invitation.theWebsite');

  const company = companies.data?.find((c) => c.id === companyId && c.role === 'owner');
  // Billing details that cannot be read leave the choice to the server (its first contact).
  const contactList: BillingContact[] = contacts.data?.items ?? [];
  const contactsSettled = contacts.isSuccess || contacts.isError;
  const contactId = chosenContact ?? contactList[0]?.id ?? '';
  const loadError = companies.isError ? toApiError(companies.error).detail
    : companies.isSuccess && !company ? t('invitation.consent.notOwned')
      : apps.isError ? toApiError(apps.error).detail : '';
  const loaded = company && apps.data && contactsSettled
    ? { company, apps: apps.data.filter((a) => a.company?.id === companyId), contacts: contactList } : null;

  const submit = () => run(async () => {
    if (!agreed) throw invalid([{ path: 'consent', message: t('invitation.consent.mustAgree') }]);
    let result;
    try {
      result = await invitee.accept({ company: { id: companyId }, consent: true, ...(contactId ? { billingContactId: contactId } : {}) });
    } catch (caught) {
      if (isApiError(caught, 'invitation_invalid')) { setStopped(await whyItStopped(caught)); return; }
      throw caught;
    }
    rememberDone({ appName: app, companyId: result.company.id, companyName: result.company.name, inviterName: inviter, ...(result.summary ? { summary: result.summary } : {}) });
    goToStep('done');
  });

  // The price in the currency of the billing details the App goes on (owners see it); else the offer's.
  const currency = loaded?.contacts.find((c) => c.id === contactId)?.currency;
  const price = (currency && info.monthlyPrices?.[currency]) || info.monthlyPrice;
  const title = loaded ? t('invitation.consent.title', { inviter, company: loaded.company.name }) : t('invitation.consent.titleLoading');
  const values = loaded ? { inviter, company: loaded.company.name, app } : { inviter, company: '', app };
  return (
    <Page title={title} width="narrow">
      <Steps current="consent" />
      {loadError ? (
        <><ErrorMessage>{loadError}</ErrorMessage><Button onPress={() => goToStep('billing')}>{t('invitation.consent.back')}</Button></>
      ) : !loaded ? <Loading label={t('common.loading')} /> : (
        <Form onSubmit={submit} error={error} busy={busy} label={t('invitation.consent.formLabel')}>
          <Section title={t('invitation.consent.canDo', values)}>
            <p><Trans i18nKey="invitation.consent.becomesAdmin" values={values} components={strong} /></p>
            <p>{t('invitation.consent.willSee', values)}</p>
            <ul className="plain-list consent-apps" aria-label={t('invitation.consent.websitesOf', values)}>
              <li><Trans i18nKey="invitation.consent.takenOver" values={values} components={strong} /></li>
              {loaded.apps.map((a) => <li key={a.name}><strong>{a.name}</strong></li>)}
            </ul>
            {loaded.apps.length === 0 ? <p className="hint">{t('invitation.consent.noOthers', values)}</p> : null}
          </Section>
          {loaded.contacts.length > 1 ? (
            <SelectField label={t('invitation.consent.contact')} name="billingContact" value={contactId} onChange={setContactId} isRequired
              options={loaded.contacts.map((c) => ({ value: c.id, label: c.name }))} error={fieldError('billingContactId')} />
          ) : null}
          {price ? <p>{t('invitation.consent.costs', { app, price: f.money(price), date: f.longDate(tomorrow()) })}</p> : null}
          <Checkbox name="consent" isSelected={agreed} onChange={setAgreed}
            description={fieldError('consent') ? <span className="field-error">{fieldError('consent')}</span> : undefined}>
            {t('invitation.consent.agree', values)}
          </Checkbox>
          {stopped ? <ExpiredWhileFilling info={info} reason={stopped} /> : (
            <FormActions>
              <Button type="submit" variant="primary" busy={busy}>{t('invitation.consent.accept', values)}</Button>
              <Button onPress={() => goToStep('billing')}>{t('invitation.consent.back')}</Button>
            </FormActions>
          )}
        </Form>
      )}
    </Page>
  );
}
