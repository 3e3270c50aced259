import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { twoFactor } from '../../api/security';
import { Button } from '../../components/Button';
import { TextField } from '../../components/fields';
import { Form, FormActions, invalid, useSubmit } from '../../components/Form';
import { Page } from '../../components/Layout';

/** The second step of signing in with two-step sign-in on: a code from the app, or a recovery code. */
export function TwoFactorSignIn({ onDone }: { onDone: () => Promise<void> }) {
  const { t } = useTranslation();
  const [recovery, setRecovery] = useState(false);
  const [code, setCode] = useState('');
  const { busy, error, run, fieldError, setError } = useSubmit();
  const submit = () => run(async () => {
    const value = code.trim();
    if (!value) throw invalid([{ path: 'code', message: t('security.signIn.missing') }]);
    await (recovery ? twoFactor.verifyBackupCode(value) : twoFactor.verifyTotp(value.replace(/\s+/g, '')));
    await onDone();
  });
  return (
    <Page title={t('security.signIn.title')} width="narrow" lead={t('security.signIn.lead')}>
      <Form onSubmit={submit} error={error} busy={busy} label={t('security.signIn.title')}>
        <TextField label={recovery ? t('security.signIn.recoveryLabel') : t('security.signIn.codeLabel')} name="code"
          inputMode={recovery ? 'text' : 'numeric'} autoComplete="one-time-code" value={code} onChange={setCode} isRequired error={fieldError('code')} />
        <FormActions>
          <Button type="submit" variant="primary" busy={busy}>{t('security.signIn.submit')}</Button>
          <Button onPress={() => { setRecovery(!recovery); setCode(''); setError(null); }}>
            {recovery ? t('security.signIn.useApp') : t('security.signIn.useRecovery')}
          </Button>
        </FormActions>
      </Form>
    </Page>
  );
}
