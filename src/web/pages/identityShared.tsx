import { useQuery } from '@tanstack/react-query';
import { Trans, useTranslation } from 'react-i18next';
import { dev } from '../api/endpoints';

/** The password rule under every new-password field, in the reader's language. */
export function usePasswordRule(): string {
  return useTranslation().t('identity.passwordRule');
}

const PENDING_EMAIL = 'dashboard.pendingEmail';

/** The address waiting for confirmation, kept for this tab only (not in the URL). */
export function rememberPendingEmail(email: string) {
  try { sessionStorage.setItem(PENDING_EMAIL, email); } catch { /* storage may be blocked */ }
}

export function pendingEmail(): string {
  try { return sessionStorage.getItem(PENDING_EMAIL) ?? ''; } catch { return ''; }
}

/** True when the server shows mails at /dev/mailbox (no SMTP configured: development). */
export function useDevMailbox(): boolean {
  // Asked once per page load: whether the server has SMTP does not change while it runs.
  const query = useQuery({ queryKey: ['dev-mailbox'], queryFn: () => dev.mailbox().then(() => true, () => false), staleTime: Infinity, retry: false });
  return query.data === true;
}

export function DevMailboxHint() {
  const available = useDevMailbox();
  if (!available) return null;
  return (
    <p className="hint">
      <Trans i18nKey="auth.devMailbox" components={{ anchor: <a href="/dev/mailbox" target="_blank" rel="noreferrer" /> }} />
    </p>
  );
}
