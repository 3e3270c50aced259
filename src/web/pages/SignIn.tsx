import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { isApiError, type FieldProblem } from '../api/client';
import { auth } from '../api/endpoints';
import { Button } from '../components/Button';
import { Notice } from '../components/Feedback';
import { PasswordField, TextField } from '../components/fields';
import { Form, FormActions, invalid, useSubmit } from '../components/Form';
import { Page } from '../components/Layout';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';
import { rememberPendingEmail } from './identityShared';
import { TwoFactorSignIn } from './security/TwoFactorSignIn';
import { safeNextPath } from '../../shared/nextPath';

/** Only same-site paths are followed after sign-in (no open redirect; src/shared/nextPath.ts). */
export function safeNext(next: string | null): string {
  return safeNextPath(next) ?? '/';
}

export function SignInPage() {
  const { t } = useTranslation();
  const { flash, search } = useLocation();
  const { refresh } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run, fieldError } = useSubmit();
  const [needsCode, setNeedsCode] = useState(false);
  const finish = async () => {
    await refresh();
    navigate(safeNext(search.get('next')), { replace: true });
  };

  const submit = () => run(async () => {
    const missing = ([
      !email.trim() && { path: 'email', message: t('auth.signIn.missingEmail') },
      !password && { path: 'password', message: t('auth.signIn.missingPassword') },
    ] as (FieldProblem | false)[]).filter((e): e is FieldProblem => !!e);
    if (missing.length) throw invalid(missing);
    let answer: Awaited<ReturnType<typeof auth.signIn>>;
    try {
      answer = await auth.signIn({ email: email.trim(), password });
    } catch (caught) {
      if (isApiError(caught, 'email_not_verified')) rememberPendingEmail(email.trim());
      throw caught;
    }
    // Two-step sign-in is on: the password was right, the code comes next (issue 16).
    if (answer?.twoFactorRedirect) {
      setPassword('');
      setNeedsCode(true);
      return;
    }
    await finish();
  });

  if (needsCode) return <TwoFactorSignIn onDone={finish} />;

  return (
    <Page title={t('auth.signIn.title')} width="narrow" lead={<Trans i18nKey="auth.signIn.lead" components={{ anchor: <Link to="/sign-up" /> }} />}>
      {flash ? <Notice tone="success">{flash}</Notice> : null}
      <Form onSubmit={submit} error={error} busy={busy} label={t('auth.signIn.title')}>
        <TextField label={t('auth.email')} name="email" type="email" autoComplete="username" value={email} onChange={setEmail}
          isRequired error={fieldError('email')} />
        <PasswordField label={t('auth.password')} name="password" autoComplete="current-password" value={password} onChange={setPassword}
          isRequired error={fieldError('password')} />
        {isApiError(error, 'email_not_verified') ? (
          <p className="hint"><Link to="/check-mail">{t('auth.signIn.noMail')}</Link></p>
        ) : null}
        <FormActions>
          <Button type="submit" variant="primary" busy={busy}>{t('auth.signIn.submit')}</Button>
          <Link to="/forgot-password">{t('auth.signIn.forgot')}</Link>
        </FormActions>
      </Form>
    </Page>
  );
}
