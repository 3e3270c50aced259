import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { visit } from './helpers';

/**
 * Issue 15: the payment completion page of an invoice whose card asks for the card holder
 * (3-D Secure, `action_required`), with the sandbox provider (Stripe.js cannot load offline; its
 * branch has a unit test, test/web/confirmPayment.test.tsx). The world is `npm run demo`'s, in
 * a DATA_DIR of its own, served by a second server (E2E_PAYMENT_ACTION_PORT, default E2E_PORT + 12).
 */
const port = Number(process.env.E2E_PAYMENT_ACTION_PORT ?? Number(process.env.E2E_PORT ?? 3999) + 12);
const base = `http://localhost:${port}`;
const dataDir = path.join(os.tmpdir(), `dashboard-e2e-payment-action-${port}`);
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
  throw new Error(`the payment-action demo server did not start on ${base}`);
});

test.afterAll(async () => {
  if (server?.pid) process.kill(-server.pid, 'SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

async function changeCard(page: Page, number: string) {
  const billing = page.getByRole('region', { name: 'Billing', exact: true });
  await billing.getByRole('button', { name: 'Change card' }).click();
  await billing.getByLabel('Card number').fill(number);
  await billing.getByLabel('Expiry date').fill('12/30');
  await billing.getByLabel('Security code (CVC)').fill('123');
  await billing.getByRole('button', { name: 'Save the new card' }).click();
  await expect(billing.getByText('The new card is saved.')).toBeVisible();
}

test('a card that asks for 3-D Secure: the invoice needs confirmation, its completion page says how to pay with the sandbox, and says paid afterwards', async ({ page }, testInfo) => {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('E-mail address').fill('client@example.com');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Welcome');
  await page.goto(`${base}/companies`);
  await page.getByRole('link', { name: 'Müller Catering' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Müller Catering');

  const billing = page.getByRole('region', { name: 'Billing', exact: true });
  const invoices = billing.getByRole('list', { name: 'Invoices and credit notes' });
  const number = /INV-\d{4}-\d{6}/.exec(await invoices.getByRole('listitem').filter({ hasText: 'Payment failed' }).innerText())![0];
  const invoice = invoices.getByRole('listitem').filter({ hasText: number });

  // API.md's sandbox card 4000002500003155 attaches fine; its charges need the card holder.
  await changeCard(page, '4000 0025 0000 3155');
  await invoice.getByRole('button', { name: 'Pay now' }).click();
  await expect(billing.getByRole('alert').first()).toContainText('Your bank asks you to confirm this payment');
  await expect(invoice.getByText('Confirmation needed', { exact: true })).toBeVisible();

  // The Billing tab links to the page the action-required mail links to.
  await invoice.getByRole('link', { name: 'Confirm the payment' }).click();
  await expect(page).toHaveURL(/\/companies\/[^/]+\/invoices\/[^/]+\/confirm$/);
  const confirmUrl = page.url();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Confirm the payment of an invoice');
  await expect(page.getByText('With the test payments (sandbox) nothing can be confirmed here')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Confirm the payment' })).toHaveCount(0);
  await visit(page, 'payment-action-sandbox', testInfo);

  // As the page says: a card that pays, then "Pay now" on the Billing tab.
  await page.getByRole('link', { name: 'Back to the Billing tab' }).click();
  await expect(billing).toBeVisible();
  await changeCard(page, '4242 4242 4242 4242');
  await invoice.getByRole('button', { name: 'Pay now' }).click();
  await expect(billing.getByText(`Thank you: invoice ${number} is paid.`)).toBeVisible();
  await expect(invoice.getByRole('link', { name: 'Confirm the payment' })).toHaveCount(0);

  // The mail's link opened again later: paid already, nothing to confirm.
  await page.goto(confirmUrl);
  await expect(page.getByText('This invoice is paid already.')).toBeVisible();
  await visit(page, 'payment-action-paid', testInfo);
});
