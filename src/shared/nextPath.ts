/**
 * Where to go after signing in or resetting a password (`?next=`): only a path on this site,
 * never an open redirect (issue 17, ADR 0090). Accepted: starts with one "/", no "//" or "\"
 * (browsers read "/\evil.example" as "//evil.example"), no spaces or control characters, not
 * an API path, at most 500 characters, and it resolves to the same origin. Returns the path
 * with its query (without a #fragment), or null.
 */
export function safeNextPath(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 500) return null;
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f-\u009f]/.test(value)) return null;
  const base = 'https://same-site.invalid';
  let url: URL;
  try { url = new URL(value, base); } catch { return null; }
  if (url.origin !== base) return null;
  if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return null;
  return url.pathname + url.search;
}

/** The invitation page's account step: where "Forgot your password?" during a handover returns to. */
export const INVITATION_ACCOUNT_STEP = '/invitation?step=account';

/** `/reset-password`, or `/reset-password?next=<a same-site path>` when the web asked for one (ADR 0090). */
export function resetRedirect(redirectTo: string | undefined): string {
  const next = resetNext(redirectTo);
  return next ? `/reset-password?next=${encodeURIComponent(next)}` : '/reset-password';
}

/** The `next` of a reset redirect (`/reset-password?next=…`), if it is a same-site path; else null. */
export function resetNext(redirectTo: string | null | undefined): string | null {
  if (!redirectTo || !redirectTo.startsWith('/reset-password?')) return null;
  const base = 'https://same-site.invalid';
  let url: URL;
  try { url = new URL(redirectTo, base); } catch { return null; }
  if (url.origin !== base || url.pathname !== '/reset-password') return null;
  return safeNextPath(url.searchParams.get('next'));
}

/** The callbackURL Better Auth put in the reset URL it made (its redirectTo, decoded), or null. */
export function callbackOf(betterAuthUrl: string | undefined): string | null {
  if (!betterAuthUrl) return null;
  try { return new URL(betterAuthUrl).searchParams.get('callbackURL'); } catch { return null; }
}
