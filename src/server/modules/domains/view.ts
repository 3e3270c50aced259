import { domainToUnicode } from 'node:url';
import { z } from 'zod';
import { challengeName, defaultHost } from '../../../shared/hostname.js';
import type { CheckResult, DomainRow } from './repo.js';

export interface DnsRecord { type: 'CNAME' | 'TXT'; name: string; value: string }

export interface DomainView {
  hostname: string;
  /** The host name as people read it (Unicode for IDNA names; the same as `hostname` otherwise). */
  displayHostname: string;
  state: 'pending' | 'verified';
  dnsRecords: DnsRecord[];
  createdAt: string;
  verifiedAt: string | null;
  /** The latest look-up of the TXT record, for "we looked at … and did not find it". */
  lastCheck: { at: string; result: CheckResult } | null;
}

/** The TXT record's value: a fixed prefix says what it is for, the token proves who set it. */
export function challengeValue(token: string): string {
  return `dashboard-verification=${token}`;
}

/**
 * The records a domain needs (API.md): a CNAME from the host name to the App's default
 * address host, and the TXT record under `_dashboard-challenge.<hostname>`.
 */
export function domainView(row: DomainRow, appName: string, appsDomain: string): DomainView {
  return {
    hostname: row.hostname,
    displayHostname: domainToUnicode(row.hostname) || row.hostname,
    state: row.state as DomainView['state'],
    dnsRecords: [
      { type: 'CNAME', name: row.hostname, value: defaultHost(appName, appsDomain) },
      { type: 'TXT', name: challengeName(row.hostname), value: challengeValue(row.challenge) },
    ],
    createdAt: row.createdAt.toISOString(),
    verifiedAt: row.verifiedAt?.toISOString() ?? null,
    lastCheck: row.checkedAt && row.checkResult ? { at: row.checkedAt.toISOString(), result: row.checkResult as CheckResult } : null,
  };
}

export const domainSchema = z.object({
  hostname: z.string().describe('Lowercase ASCII; IDNA names in their xn-- form'),
  displayHostname: z.string(),
  state: z.enum(['pending', 'verified']),
  dnsRecords: z.array(z.object({ type: z.enum(['CNAME', 'TXT']), name: z.string(), value: z.string() })),
  createdAt: z.string(),
  verifiedAt: z.string().nullable(),
  lastCheck: z.object({ at: z.string(), result: z.enum(['found', 'missing', 'mismatch', 'lookup_failed']) }).nullable(),
});
