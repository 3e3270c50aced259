import { describe, expect, it } from 'vitest';
import { formatDuration, formatMoney } from '../../src/shared/format';
import { PLAN_COMPONENTS } from '../../src/server/modules/plans/catalogue';
import { createTranslator, LANGUAGES, resources } from '../../src/shared/i18n/index';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

/** {{name}} placeholders and <1>…</1> / <strong> tags that react-i18next's Trans fills in. */
const slots = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}|<\/?([\w]+)\s*\/?>/g)].map((m) => m[1] ?? `<${m[2]}>`).sort();

// Issue 11: every message exists in every catalogue, with the same placeholders.
describe('message catalogues', () => {
  const english = flatten(resources.en.translation as unknown as Tree);

  it('has at least the common messages in English', () => {
    expect(english.size).toBeGreaterThan(10);
    expect(english.get('common.loading')).toBe('Loading…');
  });

  for (const language of LANGUAGES) {
    it(`${language}: has every key of the English catalogue and no other, none empty, same placeholders`, () => {
      const messages = flatten(resources[language].translation as unknown as Tree);
      expect([...messages.keys()].filter((k) => !english.has(k)), 'keys only in this catalogue').toEqual([]);
      expect([...english.keys()].filter((k) => !messages.has(k)), 'keys missing here').toEqual([]);
      for (const [key, text] of messages) {
        expect(text.trim(), key).not.toBe('');
        expect(slots(text), `placeholders of ${key}`).toEqual(slots(english.get(key)!));
      }
    });
  }

  it('is usable outside React (the server mails with the same catalogue)', () => {
    expect(createTranslator('de')('common.retry')).toBe('Noch einmal versuchen');
    expect(createTranslator('en')('time.expiresIn', { duration: '2 days' })).toBe('expires in 2 days');
  });

  it('formats money and durations with Intl in the reader\'s language', () => {
    expect(formatMoney({ amount: 1400, currency: 'EUR' }, 'en')).toBe('€14.00');
    expect(formatMoney({ amount: 1400, currency: 'EUR' }, 'de')).toMatch(/^14,00\s€$/);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(formatDuration('2026-01-03T01:00:00Z', 'en', now)).toBe('2 days');
    // A 72-hour invitation a minute old: 3 days, not 2 (issue 17); 60 hours stay 2 days.
    expect(formatDuration(new Date(now + 72 * 3_600_000 - 60_000), 'en', now)).toBe('3 days');
    expect(formatDuration(new Date(now + 60 * 3_600_000), 'en', now)).toBe('2 days');
    expect(formatDuration('2026-01-01T05:30:00Z', 'de', now)).toBe('5 Stunden');
    expect(formatDuration('2025-12-31T00:00:00Z', 'en', now)).toBeNull();
  });

  // Issue 11: a <link>…</link> slot rendered as an empty link (void HTML elements have no content in Trans).
  it('uses no void HTML element names as <Trans> slots', () => {
    const voids = /<(area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr)>[^<]/;
    expect([...english].filter(([, text]) => voids.test(text)).map(([key]) => key)).toEqual([]);
  });

  // Issue 11: the Dashboard's pages and the plan words are German in German, not English left over.
  it('de: the Dashboard pages and every plan part and size of the catalogue have German words', () => {
    const de = createTranslator('de');
    expect(de('company.book')).toBe('App buchen');
    expect(de('roles.owner')).toBe('Inhaber');
    // Words that are the same in German.
    const alike = new Set(['Apps: {{apps}}', 'Link {{expires}}', 'Status', 'Region', 'Apps', 'App', 'Admin', 'OK', '{{name}} ({{currency}})', '{{component}}: {{size}}']);
    const german = flatten(resources.de.translation as unknown as Tree);
    const same = [...german].filter(([key, text]) => /^(company|team|leave|app|book|move|lists|home)\./.test(key) && text === english.get(key) && !alike.has(text));
    expect(same, 'keys whose German is the English text').toEqual([]);
    for (const component of PLAN_COMPONENTS) {
      expect(english.get(`plans.components.${component.id}`)).toBe(component.name);
      expect(german.has(`plans.components.${component.id}`), component.id).toBe(true);
      for (const size of component.sizes) {
        expect(english.get(`plans.sizes.${size.id}`)).toBe(size.name);
        expect(german.get(`plans.sizes.${size.id}`), size.id).toBeTruthy();
      }
    }
    expect(de('plans.sizes.php-m')).toBe('Mittel (1 vCPU, 1 GB)');
  });
});
