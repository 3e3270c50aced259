import { useEffect, useRef, useState } from 'react';
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { setReauthPrompt } from '../api/reauth';
import { security } from '../api/security';
import { useSession } from '../session';
import { Button } from './Button';
import { PasswordField, TextField } from './fields';
import { Form, FormActions, invalid, useSubmit } from './Form';

/**
 * The one re-authentication dialog of the app: opened by the API client when a change needs
 * the password again; the page behind it keeps everything that was typed, and the change is
 * retried once this dialog is confirmed.
 */
export function ReauthPrompt() {
  const { t } = useTranslation();
  const { me } = useSession();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const resolver = useRef<((ok: boolean) => void) | null>(null);
  const { busy, error, run, fieldError, setError } = useSubmit();

  useEffect(() => {
    setReauthPrompt(() => new Promise<boolean>((resolve) => {
      resolver.current?.(false);
      resolver.current = resolve;
      setOpen(true);
    }));
    return () => setReauthPrompt(null);
  }, []);

  const finish = (ok: boolean) => {
    resolver.current?.(ok);
    resolver.current = null;
    setOpen(false);
    setPassword('');
    setCode('');
    setError(null);
  };

  return (
    <ModalOverlay isOpen={open} onOpenChange={(next) => { if (!next) finish(false); }} isDismissable className="modal-overlay">
      <Modal className="modal">
        <Dialog className="dialog" aria-label={t('security.reauth.title')}>
          <Heading slot="title" className="dialog-title">{t('security.reauth.title')}</Heading>
          <Form error={error} busy={busy} label={t('security.reauth.title')} onSubmit={() => run(async () => {
            if (!password && !code.trim()) throw invalid([{ path: 'password', message: t('security.reauth.missing') }]);
            await security.reauthenticate(password ? { password } : { code: code.replace(/\s+/g, '') });
            finish(true);
          })}>
            <p className="dialog-body">{t('security.reauth.body')}</p>
            <PasswordField label={t('security.reauth.passwordLabel')} name="reauth-password" autoComplete="current-password" value={password}
              onChange={setPassword} error={fieldError('password')} />
            {me?.twoFactorEnabled ? (
              <TextField label={t('security.reauth.codeLabel')} name="reauth-code" inputMode="numeric" autoComplete="one-time-code" value={code}
                onChange={setCode} error={fieldError('code')} />
            ) : null}
            <FormActions>
              <Button type="submit" variant="primary" busy={busy}>{t('security.reauth.confirm')}</Button>
              <Button onPress={() => finish(false)}>{t('security.reauth.cancel')}</Button>
            </FormActions>
          </Form>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
