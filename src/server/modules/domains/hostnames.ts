import { domainToASCII } from 'node:url';
import type { Config } from '../../config.js';
import { checkHostname, type HostnameProblem } from '../../../shared/hostname.js';
import { AppError } from '../../shared/errors.js';

/** English words for each refusal (the web has its own, translated, from the same codes). */
const MESSAGES: Record<HostnameProblem, string> = {
  empty: 'Enter a domain, such as www.example.com.',
  too_long: 'A domain can be at most 253 characters long.',
  has_scheme: 'Enter only the domain, such as www.example.com, without https://.',
  has_port_or_path: 'Enter only the domain, such as www.example.com, without a port, path or query.',
  bad_characters: 'A domain contains only letters, digits, hyphens and dots (no spaces, underscores or wildcards).',
  trailing_dot: 'Leave out the dot at the end.',
  ip_address: 'Enter a domain name, not an IP address.',
  single_label: 'Enter a full domain with at least one dot, such as example.com.',
  label_too_long: 'Each part between dots can be at most 63 characters long.',
  bad_label: 'Each part between dots starts and ends with a letter or digit; this domain is not valid.',
  reserved_tld: 'This ending is not part of public DNS, so the domain could never be verified.',
  apps_domain: 'This is one of our own addresses; every App already answers at its default address.',
  dashboard_host: 'This is the Dashboard’s own address.',
};

export function hostnameRules(config: Pick<Config, 'appsDomain' | 'publicUrl'>) {
  return { appsDomain: config.appsDomain, dashboardHost: new URL(config.publicUrl).hostname };
}

/** A host name from a request body, normalised, or a 400 `validation_failed` on `hostname`. */
export function parseHostname(config: Pick<Config, 'appsDomain' | 'publicUrl'>, input: string): string {
  const checked = checkHostname(input, hostnameRules(config));
  if (checked.ok) return checked.hostname;
  const message = MESSAGES[checked.problem];
  throw new AppError('validation_failed', message, [{ path: 'hostname', message, reason: checked.problem }]);
}

/** A host name from a path: the same mapping, without the rules (an invalid one simply is not there). */
export function lookupHostname(input: string): string {
  return domainToASCII(input.trim().toLowerCase()) || input.trim().toLowerCase();
}
