import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type APIRequestContext, type Page, type TestInfo } from '@playwright/test';

export const SCREENSHOT_DIR = path.join(process.env.E2E_RESULTS ?? 'test-results', 'screenshots');
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 375, height: 812 };

export function uniqueEmail(prefix: string) {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}@example.test`;
}

/** A long passphrase that is not on the common-password list. */
export function newPassword() {
  return `violet harbour ${randomBytes(4).toString('hex')} lantern`;
}

/** Fails on serious or critical axe violations, with a readable list. */
export async function checkA11y(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = bad.map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n  ')}`);
  expect(summary, `accessibility violations on ${name}`).toEqual([]);
}

/**
 * Every page visited: axe at desktop and at 375 px, a full-page screenshot at both widths,
 * and a check that nothing overflows sideways on the phone.
 */
export async function visit(page: Page, name: string, testInfo: TestInfo) {
  await page.waitForLoadState('networkidle');
  await expect(page.locator('h1')).toBeVisible();
  const original = page.viewportSize() ?? DESKTOP;
  await checkA11y(page, `${name} (desktop)`);
  // With a modal open, a full-page shot would show the page under an overlay of viewport size.
  const fullPage = (await page.getByRole('dialog').or(page.getByRole('alertdialog')).count()) === 0;
  const desktopPath = path.join(SCREENSHOT_DIR, `${name}-desktop.png`);
  await page.screenshot({ path: desktopPath, fullPage });
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(100);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${name} scrolls sideways at 375 px`).toBeLessThanOrEqual(0);
  await checkA11y(page, `${name} (375 px)`);
  const phonePath = path.join(SCREENSHOT_DIR, `${name}-375.png`);
  await page.screenshot({ path: phonePath, fullPage });
  await page.setViewportSize(original);
  await testInfo.attach(`${name}-desktop`, { path: desktopPath, contentType: 'image/png' });
  await testInfo.attach(`${name}-375`, { path: phonePath, contentType: 'image/png' });
}

interface Mail { id: string | number; kind: string; to: string; subject: string; text: string }

/** Waits for a mail to `to` in the dev mailbox (newer than `after`), and returns it. */
export async function waitForMail(request: APIRequestContext, to: string, match: (mail: Mail) => boolean = () => true, seen: Set<string> = new Set()): Promise<Mail> {
  let found: Mail | undefined;
  await expect.poll(async () => {
    const response = await request.get('/api/dev/mailbox');
    expect(response.status()).toBe(200);
    const { items } = (await response.json()) as { items: Mail[] };
    found = items.find((m) => m.to.toLowerCase() === to.toLowerCase() && !seen.has(String(m.id)) && match(m));
    return !!found;
  }, { message: `a mail to ${to}`, timeout: 15_000 }).toBe(true);
  seen.add(String(found!.id));
  return found!;
}

export function linkIn(mail: Mail, contains: string): string {
  const links = mail.text.match(/https?:\/\/\S+/g) ?? [];
  const link = links.find((l) => l.includes(contains));
  if (!link) throw new Error(`no link containing ${contains} in mail "${mail.subject}": ${mail.text}`);
  return link.replace(/[>)\].,]+$/, '');
}

/** Turns an absolute link from a mail into a path, so the test follows it on its own base URL. */
export function pathOf(link: string): string {
  const url = new URL(link);
  return url.pathname + url.search;
}

function sshString(buffer: Buffer) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(buffer.length);
  return Buffer.concat([length, buffer]);
}

/** An OpenSSH ed25519 public key and its SHA256 fingerprint (ssh-keygen when present, else Node crypto). */
export function makeSshKey(comment = 'e2e@test'): { publicKey: string; fingerprint: string } {
  try {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'e2e-ssh-'));
    try {
      const file = path.join(dir, 'id_ed25519');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file], { stdio: 'ignore' });
      const publicKey = readFileSync(`${file}.pub`, 'utf8').trim();
      const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${file}.pub`], { encoding: 'utf8' }).split(' ')[1];
      return { publicKey, fingerprint };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } catch {
    const { publicKey } = generateKeyPairSync('ed25519');
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
    const blob = Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(raw)]);
    const fingerprint = `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
    return { publicKey: `ssh-ed25519 ${blob.toString('base64')} ${comment}`, fingerprint };
  }
}

/**
 * Presses the sign-up button. The suite signs up many people from one address within minutes;
 * the per-address limit (10 sign-ups a minute) then answers 429 with Retry-After. A person
 * would wait; so does the test. Returns the last answer's status.
 */
export async function submitSignUp(page: Page, button = 'Create account'): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/sign-up') && r.request().method() === 'POST'),
      page.getByRole('button', { name: button }).click(),
    ]);
    if (response.status() !== 429 || attempt >= 2) return response.status();
    await page.waitForTimeout((Number(response.headers()['retry-after'] ?? 60) + 1) * 1000);
  }
}

/** Signs up through the UI and follows the verification link from the dev mailbox. */
export async function signUpAndVerify(page: Page, opts: { email: string; password: string; first: string; last: string; client?: boolean }) {
  await page.goto('/sign-up');
  await page.getByLabel('E-mail address').fill(opts.email);
  await page.getByLabel('First name').fill(opts.first);
  await page.getByLabel('Last name').fill(opts.last);
  await page.getByLabel('Password', { exact: true }).fill(opts.password);
  if (opts.client) await page.getByRole('radio', { name: /\(client\)/ }).check();
  await submitSignUp(page);
  await expect(page).toHaveURL(/\/check-mail$/);
  const mail = await waitForMail(page.request, opts.email, (m) => m.text.includes('/api/auth/verify-email'));
  await page.goto(pathOf(linkIn(mail, '/api/auth/verify-email')));
  await expect(page.getByText('Your e-mail address is confirmed')).toBeVisible();
}
