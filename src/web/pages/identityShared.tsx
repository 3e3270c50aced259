import { useQuery } from '@tanstack/react-query';
import { dev } from '../api/endpoints';

export const PASSWORD_RULE =
  'At least 15 characters. No special characters needed: a few unrelated words make a strong password that is easy to remember. Very common passwords are refused.';

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
      Developer set-up: this server sends no real mail. Open the <a href="/dev/mailbox" target="_blank" rel="noreferrer">dev mailbox</a> to see it.
    </p>
  );
}
