import { describe, expect, it } from 'vitest';
import { de, en } from '../../src/shared/i18n/index';
import { JARGON, jargonIn } from '../../src/shared/i18n/jargon';

/** Every string of a catalogue subtree, with its key. */
function strings(node: unknown, prefix: string): [string, string][] {
  if (typeof node === 'string') return [[prefix, node]];
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => strings(value, prefix ? `${prefix}.${key}` : key));
}

/**
 * Issue 17: the words of the client's pages — the handover (invitation.*), the Company page and
 * its Billing tab, and the client namespace (the offer in numbers, the done page, the client's
 * App page, footer, dead ends) — pass the jargon list, in both languages. Issue 16: the Security
 * page and its dialogs (security.*) too: a client Account uses two-step sign-in "with plain words".
 */
describe('client pages speak plain words', () => {
  for (const [name, catalogue] of [['en', en], ['de', de]] as const) {
    it(`the ${name} catalogue of the client's pages (offer, billing, Company, client view) (and Security) has no word from the jargon list`, () => {
      const clientPages = { client: catalogue.client, invitation: catalogue.invitation, billing: catalogue.billing, company: catalogue.company, cost: catalogue.cost, security: catalogue.security };
      // The recovery codes' file name (dashboard-recovery-codes.txt) is a file name, not a sentence.
      const found = strings(clientPages, '').filter(([key]) => key !== 'security.twoFactor.fileName').flatMap(([key, text]) => jargonIn(text).map((word) => `${key}: ${word}`));
      expect(found).toEqual([]);
    });
  }

  it('finds jargon as whole words in any case, and nothing in plain sentences', () => {
    expect(jargonIn('Set the environment variable and deploy via Git.')).toEqual(['environment variable', 'deploy', 'Git']);
    expect(jargonIn('0,5 vCPU und 512 MB, Region eu1')).toEqual(['vCPU', 'Region', 'eu1']);
    // Not inside other words: "legitimate" holds "git", "pushy" holds "push".
    expect(jargonIn('A legitimate and pushy apiary')).toEqual([]);
    expect(JARGON.length).toBeGreaterThan(20);
  });
});
