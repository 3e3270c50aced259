import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { checkA11y } from './helpers';

/**
 * Issue 12: the Billing tab on the world `npm run demo` makes (three months of history, a scale
 * change, a transfer, invoices from the monthly runs, one failed payment). The spec runs the demo
 * into its own DATA_DIR and starts a second server on it (E2E_BILLING_PORT, default E2E_PORT + 10).
 */
const port = Number(process.env.E2E_BILLING_PORT ?? Number(process.env.E2E_PORT ?? 3999) + 10);
const base = `http://localhost:${port}`;
const dataDir = path.join(os.tmpdir(), `dashboard-e2e-billing-${port}`);
const PASSWORD = 'correct horse battery staple 42';
let server: ChildProcess | null = null;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  rmSync(dataDir, { recursive: true, force: true });
  const env = { ...process.env, DATA_DIR: dataDir, PORT: String(port), PUBLIC_URL: base, SSH_PORT: '0', SMTP_URL: '', LOG_LEVEL: 'warn' };
  execFileSync('npx', ['tsx', 'scripts/demo.ts'], { env, stdio: 'pipe' });
  server = spawn('npx', ['tsx', 'src/server/main.ts'], { env, stdio: 'ignore', detached: true });
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`the billing demo server did not start on ${base}`);
});

test.afterAll(async () => {
  if (server?.pid) process.kill(-server.pid, 'SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

async function signIn(page: Page, email: string) {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Welcome');
}

async function openCompany(page: Page, name: string) {
  await page.goto(`${base}/companies`);
  await page.getByRole('link', { name }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
}

test('the owner sees upcoming charges and invoices, downloads a PDF, and fixes a failed payment with a new card', async ({ page }) => {
  await signIn(page, 'client@example.com');
  await openCompany(page, 'Müller Catering');
  const billing = page.getByRole('region', { name: 'Billing', exact: true });
  await expect(billing).toBeVisible();
  await expect(billing.getByText('bakery-shop').first()).toBeVisible();
  await expect(billing.getByText(/If nothing changes, the invoice on/)).toBeVisible();
  const invoices = billing.getByRole('list', { name: 'Invoices and credit notes' });
  // The demo's last run numbers its two invoices in contact order; the declined one is Müller Catering's.
  const failedItem = invoices.getByRole('listitem').filter({ hasText: 'Payment failed' });
  await expect(failedItem).toHaveCount(1);
  const number = /INV-\d{4}-\d{6}/.exec(await failedItem.innerText())![0];
  const failed = invoices.getByRole('listitem').filter({ hasText: number });
  await checkA11y(page, 'billing-tab');

  const [download] = await Promise.all([page.waitForEvent('download'), failed.getByRole('link', { name: 'Download PDF' }).click()]);
  expect(download.suggestedFilename()).toBe(`${number}.pdf`);
  const file = path.join(dataDir, 'download.pdf');
  await download.saveAs(file);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  expect(text).toContain(number);
  expect(text).toContain('Müller Catering KG');
  expect(text).toContain('€16.66');
  expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');

  // Pay now with the declining card: refused in plain words.
  await failed.getByRole('button', { name: 'Pay now' }).click();
  await expect(billing.getByRole('alert').first()).toContainText('declined');
  // A new card, then Pay now.
  await billing.getByRole('button', { name: 'Change card' }).click();
  await billing.getByLabel('Card number').fill('4242 4242 4242 4242');
  await billing.getByLabel('Expiry date').fill('12/30');
  await billing.getByLabel('Security code (CVC)').fill('123');
  await billing.getByRole('button', { name: 'Save the new card' }).click();
  await expect(billing.getByText('The new card is saved.')).toBeVisible();
  await failed.getByRole('button', { name: 'Pay now' }).click();
  await expect(billing.getByText(`Thank you: invoice ${number} is paid.`)).toBeVisible();
  await expect(failed.getByText('Paid', { exact: true })).toBeVisible();
});

test('the admin (the developer) sees no Billing tab', async ({ page }) => {
  await signIn(page, 'dev@example.com');
  await openCompany(page, 'Bäckerei Müller');
  await expect(page.getByRole('heading', { name: 'Team' }).or(page.getByRole('heading', { name: 'Apps' })).first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'Billing', exact: true })).toHaveCount(0);
  await expect(page.getByText('INV-2026-')).toHaveCount(0);
});

test('the accountant sees billing but nothing else', async ({ page }) => {
  await signIn(page, 'accountant@example.com');
  await openCompany(page, 'Müller Catering');
  const billing = page.getByRole('region', { name: 'Billing', exact: true });
  await expect(billing).toBeVisible();
  await expect(billing.getByText(/If nothing changes, the invoice on/)).toBeVisible();
  const invoices = billing.getByRole('list', { name: 'Invoices and credit notes' });
  await expect(invoices.getByRole('listitem').filter({ hasText: /INV-\d{4}-\d{6}/ }).first()).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), invoices.getByRole('link', { name: 'Download PDF' }).first().click()]);
  expect(download.suggestedFilename()).toMatch(/^INV-\d{4}-\d{6}\.pdf$/);
  // Reading, not paying: no Pay now, no card change, no App to open, nothing to book.
  await expect(page.getByRole('button', { name: 'Pay now' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Change card' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'bakery-shop', exact: true })).toHaveCount(0);
  await expect(page.getByRole('link', { name: /Book an App/ })).toHaveCount(0);
  await checkA11y(page, 'billing-accountant');
  // The App itself stays closed to her.
  await page.goto(`${base}/apps/bakery-shop`);
  await expect(page.getByRole('alert')).toHaveText('Your role in this Company does not allow this.');
  await expect(page.getByRole('heading', { name: /Settings|Code access|Domains/ })).toHaveCount(0);
});
