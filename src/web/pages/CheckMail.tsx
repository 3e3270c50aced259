import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { auth } from '../api/endpoints';
import { Button } from '../components/Button';
import { Notice } from '../components/Feedback';
import { TextField } from '../components/fields';
import { Form, FormActions, invalid, useSubmit } from '../components/Form';
import { Page } from '../components/Layout';
import { Link } from '../router';
import { DevMailboxHint, pendingEmail, rememberPendingEmail } from './identityShared';

export function CheckMailPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState(pendingEmail);
  const [sent, setSent] = useState(false);
  const { busy, error, run, fieldError } = useSubmit();
  const known = pendingEmail();

  const resend = () => run(async () => {
    setSent(false);
    if (!email.trim()) throw invalid([{ path: 'email', message: t('auth.checkMail.missing') }]);
    await auth.resendVerification(email.trim());
    rememberPendingEmail(email.trim());
    setSent(true);
  });

  return (
    <Page title={t('auth.checkMail.title')} width="narrow">
      <div className="prose">
        <p>
          {known ? <Trans i18nKey="auth.checkMail.sentTo" values={{ email: known }} components={{ strong: <strong /> }} /> : t('auth.checkMail.sentToYou')}
        </p>
        <p>{t('auth.checkMail.noMail')}</p>
        <DevMailboxHint />
      </div>
      {sent ? <Notice tone="success">{t('auth.checkMail.resent')}</Notice> : null}
      <Form onSubmit={resend} error={error} busy={busy} label={t('auth.checkMail.resend')}>
        {known ? null : (
          <TextField label={t('auth.email')} name="email" type="email" autoComplete="email" value={email} onChange={setEmail}
            isRequired error={fieldError('email')} />
        )}
        <FormActions>
          <Button type="submit" busy={busy}>{t('auth.checkMail.resend')}</Button>
          <Link to="/sign-in">{t('auth.backToSignIn')}</Link>
        </FormActions>
      </Form>
    </Page>
  );
}
