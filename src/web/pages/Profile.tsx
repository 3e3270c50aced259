import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldProblem } from '../api/client';
import { account, auth } from '../api/endpoints';
import type { AccountType, Me } from '../api/models';
import { Button } from '../components/Button';
import { Notice } from '../components/Feedback';
import { Checkbox, PasswordField, RadioGroup, TextField } from '../components/fields';
import { Form, FormActions, invalid, useSubmit } from '../components/Form';
import { Page, Section } from '../components/Layout';
import { useSession } from '../session';
import { usePasswordRule } from './identityShared';
import { SecurityLink } from './security/SecurityLink';

function DetailsForm({ me, onSaved }: { me: Me; onSaved: (me: Me) => void }) {
  const { t } = useTranslation();
  const [firstName, setFirstName] = useState(me.firstName);
  const [lastName, setLastName] = useState(me.lastName);
  const [accountType, setAccountType] = useState<AccountType>(me.accountType);
  const [newsletter, setNewsletter] = useState(me.newsletter);
  const [saved, setSaved] = useState(false);
  const { busy, error, run, fieldError } = useSubmit();

  const submit = () => run(async () => {
    setSaved(false);
    const body: Parameters<typeof account.update>[0] = { firstName: firstName.trim(), lastName: lastName.trim(), accountType };
    // Clients never get the newsletter; the server switches it off when the type changes.
    if (accountType === 'developer') body.newsletter = newsletter;
    const next = await account.update(body);
    setNewsletter(next.newsletter);
    onSaved(next);
    setSaved(true);
  });

  return (
    <Form onSubmit={submit} error={error} busy={busy} label={t('profile.details')}>
      {saved ? <Notice tone="success">{t('profile.saved')}</Notice> : null}
      <p className="field-static"><span className="field-label">{t('auth.email')}</span> {me.email}</p>
      <div className="field-row">
        <TextField label={t('auth.firstName')} name="firstName" autoComplete="given-name" value={firstName} onChange={setFirstName}
          isRequired error={fieldError('firstName')} />
        <TextField label={t('auth.lastName')} name="lastName" autoComplete="family-name" value={lastName} onChange={setLastName}
          isRequired error={fieldError('lastName')} />
      </div>
      <RadioGroup legend={t('profile.typeLegend')} name="accountType" value={accountType} onChange={(v) => setAccountType(v as AccountType)}
        error={fieldError('accountType')}
        options={[
          { value: 'developer', label: t('profile.developer'), hint: t('profile.developerHint') },
          { value: 'client', label: t('profile.client'), hint: t('profile.clientHint') },
        ]} />
      {accountType === 'developer' ? (
        <Checkbox name="newsletter" isSelected={newsletter} onChange={setNewsletter}
          description={t('profile.newsletterHint')}>
          {t('profile.newsletter')}
        </Checkbox>
      ) : null}
      <FormActions>
        <Button type="submit" variant="primary" busy={busy}>{t('profile.save')}</Button>
      </FormActions>
    </Form>
  );
}

function ChangePasswordForm() {
  const { t } = useTranslation();
  const passwordRule = usePasswordRule();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [done, setDone] = useState(false);
  const { busy, error, run, fieldError } = useSubmit();

  const submit = () => run(async () => {
    setDone(false);
    const missing = ([
      !current && { path: 'currentPassword', message: t('profile.missingCurrent') },
      !next && { path: 'newPassword', message: t('profile.missingNew') },
    ] as (FieldProblem | false)[]).filter((e): e is FieldProblem => !!e);
    if (missing.length) throw invalid(missing);
    await auth.changePassword(current, next);
    setCurrent('');
    setNext('');
    setDone(true);
  });

  return (
    <Form onSubmit={submit} error={error} busy={busy} label={t('profile.changePassword')}>
      {done ? <Notice tone="success">{t('profile.passwordChanged')}</Notice> : null}
      <PasswordField label={t('profile.currentPassword')} name="currentPassword" autoComplete="current-password" value={current}
        onChange={setCurrent} isRequired error={fieldError('currentPassword')} />
      <PasswordField label={t('auth.newPassword')} name="newPassword" autoComplete="new-password" value={next} onChange={setNext}
        isRequired error={fieldError('newPassword')} description={passwordRule} />
      <FormActions>
        <Button type="submit" busy={busy}>{t('profile.changePassword')}</Button>
      </FormActions>
    </Form>
  );
}

export function ProfilePage() {
  const { t } = useTranslation();
  const { me, setMe } = useSession();
  if (!me) return null;
  return (
    <Page title={t('profile.title')}>
      <Section title={t('profile.details')}><DetailsForm me={me} onSaved={setMe} /></Section>
      <Section title={t('profile.password')}><ChangePasswordForm /></Section>
      <SecurityLink />
    </Page>
  );
}
