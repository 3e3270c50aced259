import { useState } from 'react';
import type { FieldProblem } from '../api/client';
import { Trans, useTranslation } from 'react-i18next';
import { auth } from '../api/endpoints';
import type { AccountType } from '../api/models';
import { Button } from '../components/Button';
import { PasswordField, RadioGroup, TextField } from '../components/fields';
import { Form, FormActions, invalid, useSubmit } from '../components/Form';
import { Page } from '../components/Layout';
import { Link, navigate } from '../router';
import { currentLanguage } from '../i18n';
import { localTimeZone } from '../../shared/format';
import { rememberPendingEmail, usePasswordRule } from './identityShared';

export function SignUpPage() {
  const { t } = useTranslation();
  const passwordRule = usePasswordRule();
  const [email, setEmail] = useState('');
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [password, setPassword] = useState('');
  const [accountType, setAccountType] = useState<AccountType>('developer');
  const { busy, error, run, fieldError } = useSubmit();

  const submit = () => run(async () => {
    const missing = ([
      !email.trim() && { path: 'email', message: t('auth.signUp.missingEmail') },
      !firstName.trim() && { path: 'firstName', message: t('auth.signUp.missingFirstName') },
      !lastName.trim() && { path: 'lastName', message: t('auth.signUp.missingLastName') },
      !password && { path: 'password', message: t('auth.signUp.missingPassword') },
    ] as (FieldProblem | false)[]).filter((e): e is FieldProblem => !!e);
    if (missing.length) throw invalid(missing);
    const first = firstName.trim();
    const last = lastName.trim();
    // The language of this page and the browser's zone go along, so the confirmation mail is in them (ADR 0070).
    await auth.signUp({ email: email.trim(), password, name: `${first} ${last}`, firstName: first, lastName: last, accountType, language: currentLanguage(), timeZone: localTimeZone() });
    rememberPendingEmail(email.trim());
    navigate('/check-mail');
  });

  return (
    <Page title={t('auth.signUp.title')} width="narrow" lead={<Trans i18nKey="auth.signUp.lead" components={{ anchor: <Link to="/sign-in" /> }} />}>
      <Form onSubmit={submit} error={error} busy={busy} label={t('auth.signUp.title')}>
        <TextField label={t('auth.email')} name="email" type="email" autoComplete="email" value={email} onChange={setEmail}
          isRequired error={fieldError('email')} description={t('auth.signUp.emailHint')} />
        <div className="field-row">
          <TextField label={t('auth.firstName')} name="firstName" autoComplete="given-name" value={firstName} onChange={setFirstName}
            isRequired error={fieldError('firstName') ?? fieldError('name')} />
          <TextField label={t('auth.lastName')} name="lastName" autoComplete="family-name" value={lastName} onChange={setLastName}
            isRequired error={fieldError('lastName')} />
        </div>
        <PasswordField label={t('auth.password')} name="password" autoComplete="new-password" value={password} onChange={setPassword}
          isRequired error={fieldError('password')} description={passwordRule} />
        <RadioGroup legend={t('auth.signUp.typeLegend')} name="accountType" value={accountType}
          onChange={(v) => setAccountType(v as AccountType)}
          description={t('auth.signUp.typeHint')}
          options={[
            { value: 'developer', label: t('auth.signUp.developer'), hint: t('auth.signUp.developerHint') },
            { value: 'client', label: t('auth.signUp.client'), hint: t('auth.signUp.clientHint') },
          ]} />
        <FormActions>
          <Button type="submit" variant="primary" busy={busy}>{t('auth.signUp.submit')}</Button>
        </FormActions>
      </Form>
    </Page>
  );
}
