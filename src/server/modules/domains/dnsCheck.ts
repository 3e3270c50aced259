import { Resolver } from 'node:dns/promises';
import type { CheckResult } from './repo.js';

/** Error codes of node:dns that mean "the name or its TXT records do not exist". */
const ABSENT = new Set(['ENODATA', 'ENOTFOUND', 'NXDOMAIN']);

/**
 * Looks the challenge TXT record up through `node:dns` (SPEC 4.13). DNS_RESOLVER names the
 * server (tests: a local one); unset, the system's resolvers. A TXT record may come in
 * several strings of up to 255 bytes: they are joined, as RFC 7208 does for SPF.
 * Never throws: a resolver that fails or times out is `lookup_failed`.
 */
export async function lookupChallenge(resolverAddress: string | null, name: string, expected: string, opts: { timeoutMs?: number; tries?: number } = {}): Promise<{ result: CheckResult }> {
  const resolver = new Resolver({ timeout: opts.timeoutMs ?? 2500, tries: opts.tries ?? 2 });
  if (resolverAddress) resolver.setServers([resolverAddress]);
  try {
    const records = (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''));
    return { result: records.some((r) => r.trim() === expected) ? 'found' : 'mismatch' };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    return { result: ABSENT.has(code) ? 'missing' : 'lookup_failed' };
  } finally {
    resolver.cancel();
  }
}
