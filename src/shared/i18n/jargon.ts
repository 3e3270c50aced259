/**
 * Words a business owner should not meet on the pages made for clients (issue 17): the
 * developer's vocabulary. test/web/jargon.test.ts checks the client catalogue against it, and
 * the client's e2e story checks the rendered App and Company pages. Add a word when a client
 * asks what it means; remove one only with a reason in the commit.
 */
export const JARGON: readonly string[] = [
  // English
  'vCPU', 'CPU', 'RAM', 'environment variable', 'env var', 'deploy', 'deployment', 'git', 'SSH', 'repository', 'repo',
  'commit', 'branch', 'push', 'clone', 'slug', 'API', 'token', 'webhook', 'CNAME', 'TXT', 'runtime', 'container',
  'instance', 'backend', 'frontend', 'CLI', 'PHP', 'MySQL', 'database', 'region', 'eu1', 'us1', 'scale', 'scaling',
  'payload', 'cookie', 'session', 'JSON', 'UTC',
  // German
  'Umgebungsvariable', 'Deployment', 'Repository', 'Datenbank', 'Region', 'skalieren', 'Skalierung',
];

const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(${JARGON.map(escape).join('|')})(?![\\p{L}\\p{N}])`, 'giu');

/** The jargon words in a text (whole words, any case), in the order they appear. */
export function jargonIn(text: string): string[] {
  return [...text.matchAll(pattern)].map((m) => m[1]);
}
