import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { STATUS_BY_CODE } from '../../src/server/shared/errors';
import { resources } from '../../src/shared/i18n/index';
import { ApiError } from '../../src/web/api/client';
import { auth, invitee } from '../../src/web/api/endpoints';
import { fieldMessage, problemMessage, waitWords } from '../../src/web/api/problemText';
import { FormAlert } from '../../src/web/components/Form';
import { i18n } from '../../src/web/i18n';

/**
 * Issue 17, ADR 0090: a refusal from the server reads in the page's language. The web words it
 * by the stable `code` (and `reason`) from the catalogue; the server's English `detail` only
 * for a code the catalogue does not know.
 */
afterEach(async () => {
  vi.unstubAllGlobals();
  await i18n.changeLanguage('en');
});

type Tree = { [key: string]: string | Tree };
const problemsOf = (language: 'en' | 'de') => (resources[language].translation as unknown as { problems: Tree }).problems;
const has = (tree: Tree, ...keys: string[]) => {
  let node: string | Tree | undefined = tree;
  for (const key of keys) node = typeof node === 'object' ? node[key] : undefined;
  return typeof node === 'string' && node.length > 0;
};

/** The error codes API.md lists ("Codes in use"), from the repository's copy (docs/api.md). */
function documentedCodes(): string[] {
  const doc = readFileSync(path.join(__dirname, '../../docs/api.md'), 'utf8');
  const start = doc.indexOf('Codes in use:');
  const end = doc.indexOf('- Status per code:', start);
  expect(start, 'docs/api.md lists the codes in use').toBeGreaterThan(0);
  return [...doc.slice(start, end).matchAll(/`([a-z_]+)`/g)].map((m) => m[1]).filter((word) => word !== 'detail');
}

function serverSources(dir = path.join(__dirname, '../../src/server')): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? serverSources(file) : file.endsWith('.ts') ? [file] : [];
  });
}

describe('every refusal a client can meet has words in both catalogues', () => {
  const codes = [...new Set([...documentedCodes(), ...Object.keys(STATUS_BY_CODE), 'internal'])];

  it('reads the documented codes', () => {
    expect(codes).toEqual(expect.arrayContaining(['invitation_invalid', 'email_mismatch', 'rate_limited', 'payment_declined', 'app_suspended']));
  });

  for (const language of ['en', 'de'] as const) {
    it(`${language}: a default message for every code of API.md and of the server`, () => {
      expect(codes.filter((code) => !has(problemsOf(language), code, 'default'))).toEqual([]);
    });

    it(`${language}: a message for every reason the server gives a problem or a field`, () => {
      const missing: string[] = [];
      for (const file of serverSources()) {
        if (file.includes(`${path.sep}domains${path.sep}`)) continue; // the domains panel words its own reasons (domains.*)
        const source = readFileSync(file, 'utf8');
        // A problem's reason: new AppError('code', …, { reason: 'x' }) or sendProblem(reply, 'code', …, { reason: 'x' }).
        for (const m of source.matchAll(/(?:new AppError|sendProblem)\((?:reply, )?'([a-z_]+)',[^;]*?\{ reason: '([a-z_]+)' \}\)/g)) {
          if (!has(problemsOf(language), m[1], m[2])) missing.push(`${m[1]}.${m[2]} (${path.basename(file)})`);
        }
        // A field's reason: { path, message, reason: 'x' } and the reason unions of passwordIssue / vatIssue.
        for (const m of source.matchAll(/\{ path[^{}]*?reason: (?:[^{}]*?\? )?'([a-z_0-9]+)'(?: : '([a-z_0-9]+)')?/g)) {
          for (const reason of [m[1], m[2]].filter(Boolean)) if (!has(problemsOf(language), 'fields', reason)) missing.push(`fields.${reason} (${path.basename(file)})`);
        }
        const issueUnions = /export function (?:passwordIssue|vatIssue)\([^)]*\): \{ reason: ((?:'[a-z_0-9]+' \| )+'[a-z_0-9]+');/g;
        for (const m of source.matchAll(issueUnions)) {
          for (const reason of m[1].split(' | ').map((r) => r.slice(1, -1))) if (!has(problemsOf(language), 'fields', reason)) missing.push(`fields.${reason} (${path.basename(file)})`);
        }
      }
      expect(missing).toEqual([]);
    });

    it(`${language}: the invitation, payment and sign-in reasons set from data`, () => {
      const p = problemsOf(language);
      for (const reason of ['expired', 'accepted', 'revoked', 'declined', 'superseded', 'not_open', 'app_gone', 'company_gone', 'inviter_cannot']) expect(has(p, 'invitation_invalid', reason), reason).toBe(true);
      for (const reason of ['declined', 'insufficient_funds', 'action_required', 'confirm_needed']) expect(has(p, 'payment_declined', reason), reason).toBe(true);
      for (const reason of ['password_too_short', 'password_too_short_with_two_factor', 'password_too_long', 'password_common', 'vat_prefix', 'vat_format', 'vat_check_digit', 'card_cvc_3', 'card_cvc_4']) {
        expect(has(p, 'fields', reason), reason).toBe(true);
      }
    });
  }
});

describe('wording a problem', () => {
  it('German: code and reason from the catalogue, never the server’s English', async () => {
    await i18n.changeLanguage('de');
    expect(problemMessage({ code: 'invitation_invalid', reason: 'expired', detail: 'This invitation has expired.' })).toBe('Diese Einladung ist abgelaufen.');
    expect(problemMessage({ code: 'email_mismatch', detail: 'This invitation was sent to another e-mail address (you are signed in as x@y).' }))
      .toBe('Diese Einladung ging an eine andere E-Mail-Adresse. Melden Sie sich mit der eingeladenen Adresse an.');
    expect(problemMessage({ code: 'conflict', detail: 'This App was moved in the meantime; reload the page.' })).toMatch(/^Das hat sich inzwischen geändert/);
    expect(problemMessage({ code: 'rate_limited', reason: 'locked', detail: 'Too many wrong passwords' }, '600')).toContain('in 10 Minuten');
    expect(fieldMessage({ path: 'vatNumber', message: 'This DE VAT number has a typing error', reason: 'vat_check_digit' })).toMatch(/^Diese USt-IdNr\. enthält einen Tippfehler/);
    expect(fieldMessage({ path: 'billingContact.address.city', message: 'Enter the city.' })).toBe('Bitte prüfen Sie diese Angabe.');
  });

  it('English: a broad code keeps the server’s exact case; a specific code reads from the catalogue', () => {
    expect(problemMessage({ code: 'conflict', detail: 'This App was moved in the meantime; reload the page.' })).toBe('This App was moved in the meantime; reload the page.');
    expect(problemMessage({ code: 'unauthenticated', reason: 'wrong_credentials', detail: 'x' })).toBe('The e-mail address or the password is not right.');
    expect(fieldMessage({ path: 'billingContact.address.city', message: 'Enter the city.' })).toBe('Enter the city.');
  });

  it('an unknown code shows the server’s detail; an unknown field reason is left to the page', async () => {
    await i18n.changeLanguage('de');
    expect(problemMessage({ code: 'brand_new_code', detail: 'Something new happened.' })).toBe('Something new happened.');
    expect(fieldMessage({ path: 'hostname', message: 'Taken.', reason: 'taken' })).toBe('Taken.');
  });

  it('Retry-After in words: seconds, minutes, or a moment', async () => {
    expect(waitWords('45')).toBe('45 seconds');
    expect(waitWords('61')).toBe('2 minutes');
    expect(waitWords('60')).toBe('1 minute');
    expect(waitWords(null)).toBe('a moment');
    await i18n.changeLanguage('de');
    expect(waitWords('180')).toBe('3 Minuten');
  });
});

describe('the web client words what the server sent', () => {
  const problem = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    vi.fn(async () => new Response(JSON.stringify({ type: 'about:blank', status, ...body }), { status, headers: { 'content-type': 'application/problem+json', ...headers } }));

  it('a 429 on a German sign-in page: "in 3 Minuten", from the Retry-After header', async () => {
    await i18n.changeLanguage('de');
    vi.stubGlobal('fetch', problem(429, { code: 'rate_limited', title: 'Too many requests', detail: 'Too many attempts from your address. Please wait 3 minutes and try again.' }, { 'retry-after': '170' }));
    const error = await auth.signIn({ email: 'a@b.test', password: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).detail).toBe('Zu viele Versuche. Bitte versuchen Sie es in 3 Minuten noch einmal.');
    expect((error as ApiError).serverDetail).toContain('Too many attempts');
  });

  it('renders a German form alert and field error for a superseded invitation and a wrong card', async () => {
    await i18n.changeLanguage('de');
    vi.stubGlobal('fetch', problem(404, { code: 'invitation_invalid', reason: 'superseded', title: 'This invitation link is not valid', detail: 'A newer invitation was sent for this, so this link no longer works.' }));
    const superseded = await invitee.lookup().catch((e: unknown) => e) as ApiError;
    const html = renderToStaticMarkup(createElement(FormAlert, { error: superseded }));
    expect(html).toContain('role="alert"');
    expect(html).toContain('Dafür wurde eine neuere Einladung verschickt');
    expect(html).not.toMatch(/newer invitation|not valid/);

    vi.stubGlobal('fetch', problem(400, {
      code: 'validation_failed', title: 'Some fields need attention', detail: 'This card has expired.',
      errors: [{ path: 'expYear', message: 'This card has expired.', reason: 'card_expired' }],
    }));
    const card = await invitee.lookup().catch((e: unknown) => e) as ApiError;
    const alert = renderToStaticMarkup(createElement(FormAlert, { error: card }));
    expect(alert).toContain('Einige Felder brauchen Ihre Aufmerksamkeit');
    expect(alert).toContain('Bitte korrigieren Sie die markierten Felder.');
    expect(card.fieldError('expYear')).toBe('Diese Karte ist abgelaufen.');
  });
});
