import path from 'node:path';
import { expect, test } from '@playwright/test';
import { totp } from '../harness/totp';
import { newPassword, SCREENSHOT_DIR, signUpAndVerify, uniqueEmail, visit } from './helpers';

/** Issue 16: two-step sign-in end to end, the re-authentication prompt and retry, Profile → Security. */

async function shoot(page: import('@playwright/test').Page, name: string) {
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-desktop.png`), fullPage: true });
  const size = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(100);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-390.png`), fullPage: true });
  if (size) await page.setViewportSize(size);
}

test('re-authentication prompt retries the change; 2FA on with the QR code; sign-in asks for the code', async ({ page, baseURL }, testInfo) => {
  const email = uniqueEmail('security');
  const password = newPassword();
  await signUpAndVerify(page, { email, password, first: 'Sam', last: 'Secure' });
  const origin = new URL(baseURL!).origin;

  // A Company to delete: the verification link's session is not fresh, so deleting asks for the password.
  const token = await (await page.request.post('/api/v1/payment-sandbox/tokens', { headers: { origin }, data: { number: '4242424242424242', expMonth: 12, expYear: new Date().getFullYear() + 2, cvc: '123' } })).json();
  const created = await page.request.post('/api/v1/companies', {
    headers: { origin },
    data: { name: 'Sam Secure Ltd', billingContact: { name: 'Sam Secure Ltd', address: { line1: 'Hauptstraße 1', postalCode: '10115', city: 'Berlin', country: 'DE' }, invoiceEmail: 'invoices@example.com', currency: 'EUR' }, paymentMethod: { token: token.token } },
  });
  expect(created.status()).toBe(201);
  const company = await created.json();
  await page.goto(`/companies/${company.id}`);
  await page.getByRole('button', { name: /Delete Company/ }).first().click();
  await page.getByLabel(/to confirm/).fill('Sam Secure Ltd');
  await page.getByRole('alertdialog').getByRole('button', { name: /Delete Company/ }).click();
  const prompt = page.getByRole('dialog', { name: 'Please confirm it is you' });
  await expect(prompt).toBeVisible();
  await shoot(page, 'security-reauth-prompt');
  await prompt.getByRole('textbox', { name: 'Your password' }).fill(password);
  await prompt.getByRole('button', { name: 'Confirm and continue' }).click();
  await expect(page.getByText(/was deleted/)).toBeVisible();

  // Profile → Security: turn on two-step sign-in.
  await page.goto('/profile/security');
  await expect(page.getByRole('heading', { level: 1, name: 'Security' })).toBeVisible();
  await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  await page.getByRole('textbox', { name: 'Your password' }).fill(password);
  await page.getByRole('button', { name: 'Continue' }).click();
  const secret = (await page.getByTestId('totp-secret').innerText()).replace(/\s+/g, '');
  expect(secret).toMatch(/^[A-Z2-7]+$/);
  await expect(page.locator('.qr-code svg')).toBeVisible();
  await shoot(page, 'security-2fa-scan');
  await page.getByLabel('Code from the app').fill(totp(secret));
  await page.getByRole('button', { name: 'Turn on', exact: true }).click();
  await expect(page.getByText('Two-step sign-in is now on.')).toBeVisible();
  const codes = await page.locator('.recovery-codes code').allInnerTexts();
  expect(codes).toHaveLength(10);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download the codes' }).click();
  expect((await download).suggestedFilename()).toBe('dashboard-recovery-codes.txt');
  await visit(page, 'security-recovery-codes', testInfo);
  await page.getByRole('button', { name: 'I have saved the codes' }).click();
  await expect(page.getByText(/Two-step sign-in is on\./)).toBeVisible();
  await expect(page.locator('.recovery-codes')).toHaveCount(0);
  await visit(page, 'security-page', testInfo);
  await shoot(page, 'security-page');

  // Sign out; signing in now asks for the code.
  await page.request.post('/api/auth/sign-out', { headers: { origin }, data: {} });
  await page.goto('/sign-in');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Enter your code' })).toBeVisible();
  await shoot(page, 'security-sign-in-code');
  await page.getByLabel('Code from the app').fill('000000' === totp(secret) ? '111111' : '000000');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(/That code is not right/).first()).toBeVisible();
  await page.getByLabel('Code from the app').fill(totp(secret));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/sign-in/);
  await page.goto('/profile/security');
  await expect(page.getByRole('cell', { name: 'Wrong code' })).toBeVisible();
  await expect(page.getByText('This browser')).toBeVisible();

  // Turning it off: the sign-in with the code just now counts as a confirmation (10 minutes),
  // so only the password in the form is asked for.
  await page.getByRole('button', { name: 'Turn off two-step sign-in' }).click();
  await page.getByRole('textbox', { name: 'Your password' }).fill(password);
  await page.getByRole('button', { name: 'Turn off', exact: true }).click();
  await expect(page.getByText('Two-step sign-in is now off.')).toBeVisible();
  await expect(page.getByRole('dialog', { name: 'Please confirm it is you' })).toHaveCount(0);
});
