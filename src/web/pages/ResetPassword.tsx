import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { auth } from '../api/endpoints';
import { Button } from '../components/Button';
import { ErrorMessage } from '../components/Feedback';
import { PasswordField } from '../components/fields';
import { Form, FormActions, invalid, useSubmit } from '../components/Form';
import { Page } from '../components/Layout';
import { Link, navigate, replaceSearch, useLocation } from '../router';
import { usePasswordRule } from './identityShared';
import { safeNextPath } from '../../shared/nextPath';

export function ResetPasswordPage() {
  const { t } = useTranslation();
  const passwordRule = usePasswordRule();
  const { search } = useLocation();
  // Read once, then drop the token from the address bar so it stays out of history and Referer.
  const [token] = useState(() => search.get('token') ?? '');
  const [linkError] = useState(() => search.get('error'));
  // Where the reset was started (an invitation, issue 17): back there after the new password.
  const [next] = useState(() => safeNextPath(search.get('next')));
  useEffect(() => { if (window.location.search) replaceSearch(''); }, []);
  const [password, setPassword] = useState('');
  const { busy, error, run, fieldError } = useSubmit();

  const submit = () => run(async () => {
    if (!password) throw invalid([{ path: 'newPassword', message: t('auth.reset.missing') }]);
    await auth.resetPassword(token, password);
    if (next) navigate(next, { replace: true, flash: t('auth.reset.doneBack') });
    else navigate('/sign-in', { replace: true, flash: t('auth.reset.done') });
  });

  const forgotLink = next ? `/forgot-password?next=${encodeURIComponent(next)}` : '/forgot-password';
  if (!token || linkError) {
    return (
      <Page title={t('auth.reset.title')} width="narrow">
        <ErrorMessage>
          <p>{t('auth.reset.invalid')}</p>
        </ErrorMessage>
        <p><Link to={forgotLink} className="btn btn-primary">{t('auth.reset.askAgain')}</Link></p>
      </Page>
    );
  }

  const tokenProblem = error?.fieldError('token');
  return (
    <Page title={t('auth.reset.title')} width="narrow">
      <Form onSubmit={submit} error={error} busy={busy} label={t('auth.reset.title')}>
        <PasswordField label={t('auth.newPassword')} name="newPassword" autoComplete="new-password" value={password} onChange={setPassword}
          isRequired error={fieldError('newPassword')} description={passwordRule} />
        <FormActions>
          <Button type="submit" variant="primary" busy={busy}>{t('auth.reset.submit')}</Button>
          {tokenProblem ? <Link to={forgotLink}>{t('auth.reset.askAgain')}</Link> : null}
        </FormActions>
      </Form>
    </Page>
  );
}
