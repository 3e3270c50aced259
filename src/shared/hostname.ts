/**
 * The host name rules of a custom domain (SPEC 4.13, docs/decisions/0075-domain-names-and-verification.md).
 * Pure and shared: the server decides with it, the web explains a refusal in the reader's
 * language before sending. IDNA goes through the WHATWG URL parser (UTS #46, the same
 * mapping browsers use), so `München.de` becomes `xn--mnchen-3ya.de` on both sides.
 */

/** Why a host name is refused; stable words the web translates. */
export type HostnameProblem =
  | 'empty'
  | 'too_long'
  | 'has_scheme'
  | 'has_port_or_path'
  | 'bad_characters'
  | 'trailing_dot'
  | 'ip_address'
  | 'single_label'
  | 'label_too_long'
  | 'bad_label'
  | 'reserved_tld'
  | 'apps_domain'
  | 'dashboard_host';

export type HostnameCheck = { ok: true; hostname: string } | { ok: false; problem: HostnameProblem };

/** What a person may type: at most this many characters (before IDNA). */
export const MAX_HOSTNAME_INPUT = 300;
/** DNS: 253 characters in all, 63 per label (RFC 1035), after IDNA. */
export const MAX_HOSTNAME_LENGTH = 253;
export const MAX_LABEL_LENGTH = 63;
/** At most this many custom domains per App (SPEC 4.13). */
export const MAX_DOMAINS_PER_APP = 20;

/** Top-level names that never resolve in public DNS, so a TXT record could never be found. */
export const RESERVED_TLDS = new Set(['localhost', 'local', 'invalid', 'internal', 'arpa', 'onion', 'home', 'lan', 'corp']);

const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
// Letters and digits of any script, combining marks, hyphens and dots; nothing URL-ish.
const ALLOWED = /^[\p{L}\p{M}\p{N}.-]+$/u;
const IP_LIKE = /^[0-9.]+$|^\[?[0-9a-f]*:[0-9a-f:.]*\]?(?::\d+)?$/i;

/** The ASCII form of a name through the URL parser's IDNA mapping, or null when it refuses. */
function toAscii(name: string): string | null {
  try {
    const host = new URL(`http://${name}/`).hostname;
    return host || null;
  } catch {
    return null;
  }
}

function isUnder(hostname: string, domain: string): boolean {
  return hostname === domain || hostname.endsWith(`.${domain}`);
}

/**
 * Normalises and checks a host name someone entered: trimmed, lowercased, IDNA-mapped to
 * ASCII; no scheme, port, path, wildcard or trailing dot; no IP address; at least two labels
 * of letters, digits and inner hyphens; within DNS's length limits; not a name that cannot be
 * in public DNS; not the platform's own App domain or the Dashboard's host (nor under them).
 */
export function checkHostname(input: string, own: { appsDomain: string; dashboardHost?: string | null }): HostnameCheck {
  const raw = input.trim();
  if (raw === '') return { ok: false, problem: 'empty' };
  if (raw.length > MAX_HOSTNAME_INPUT) return { ok: false, problem: 'too_long' };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) return { ok: false, problem: 'has_scheme' };
  if (IP_LIKE.test(raw)) return { ok: false, problem: 'ip_address' };
  if (/[:/?#]/.test(raw)) return { ok: false, problem: 'has_port_or_path' };
  if (!ALLOWED.test(raw)) return { ok: false, problem: 'bad_characters' };
  if (raw.endsWith('.')) return { ok: false, problem: 'trailing_dot' };
  const ascii = toAscii(raw);
  if (!ascii) return { ok: false, problem: 'bad_label' };
  // The URL parser reads some digit forms as IPv4 (`1.2.3.4`, `0x7f.1`): never a domain.
  if (/^\d+(\.\d+){3}$/.test(ascii) || ascii.startsWith('[')) return { ok: false, problem: 'ip_address' };
  if (ascii.length > MAX_HOSTNAME_LENGTH) return { ok: false, problem: 'too_long' };
  const labels = ascii.split('.');
  if (labels.length < 2) return { ok: false, problem: 'single_label' };
  for (const label of labels) {
    if (label.length > MAX_LABEL_LENGTH) return { ok: false, problem: 'label_too_long' };
    if (!LABEL.test(label)) return { ok: false, problem: 'bad_label' };
  }
  const tld = labels[labels.length - 1];
  if (/^\d+$/.test(tld)) return { ok: false, problem: 'ip_address' };
  if (isUnder(ascii, own.appsDomain.toLowerCase())) return { ok: false, problem: 'apps_domain' };
  if (RESERVED_TLDS.has(tld)) return { ok: false, problem: 'reserved_tld' };
  if (own.dashboardHost && isUnder(ascii, own.dashboardHost.toLowerCase())) return { ok: false, problem: 'dashboard_host' };
  return { ok: true, hostname: ascii };
}

/** The name the TXT record goes under (one per domain; the token is its value). */
export const CHALLENGE_LABEL = '_dashboard-challenge';
export function challengeName(hostname: string): string {
  return `${CHALLENGE_LABEL}.${hostname}`;
}

/** The App's default address host and URL (SPEC 4.13). */
export function defaultHost(appName: string, appsDomain: string): string {
  return `${appName}.${appsDomain}`;
}
export function webAddressOf(appName: string, appsDomain: string): string {
  return `https://${defaultHost(appName, appsDomain)}`;
}
