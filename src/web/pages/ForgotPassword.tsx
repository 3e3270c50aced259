import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { auth } from '../api/endpoints';
import { Button } from '../components/Button';
import { Notice } from '../components/Feedback';
import { TextField } from '../components/fields';
import { Form, FormActions, invalid, useSubmit } from '../components/Form';
import { Page } from '../components/Layout';
import { Link, useLocation } from '../router';
import { safeNextPath } from '../../shared/nextPath';
import { DevMailboxHint } from './identityShared';

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  // Started from an invitation (`?next=/invitation…`): the mailed link comes back to it (issue 17).
  const { search } = useLocation();
  const [next] = useState(() => safeNextPath(search.get('next')));
  const { busy, error, run, fieldError } = useSubmit();

  const submit = () => run(async () => {
    if (!email.trim()) throw invalid([{ path: 'email', message: t('auth.forgot.missing') }]);
    await auth.requestPasswordReset(email.trim(), next);
    setSentTo(email.trim());
  });

  return (
    <Page title={t('auth.forgot.title')} width="narrow" lead={t('auth.forgot.lead')}>
      {sentTo ? (
        <Notice tone="success" title={t('auth.forgot.sentTitle')}>
          <p><Trans i18nKey="auth.forgot.sent" values={{ email: sentTo }} components={{ strong: <strong /> }} /></p>
          {next ? <p>{t('auth.forgot.sentInvitation')}</p> : null}
          <DevMailboxHint />
        </Notice>
      ) : null}
      <Form onSubmit={submit} error={error} busy={busy} label={t('auth.forgot.form')}>
        <TextField label={t('auth.email')} name="email" type="email" autoComplete="email" value={email} onChange={setEmail}
          isRequired error={fieldError('email')} />
        <FormActions>
          <Button type="submit" variant="primary" busy={busy}>{t('auth.forgot.submit')}</Button>
          {next ? <Link to={next}>{t('auth.forgot.backToInvitation')}</Link> : <Link to="/sign-in">{t('auth.backToSignIn')}</Link>}
        </FormActions>
      </Form>
    </Page>
  );
}
