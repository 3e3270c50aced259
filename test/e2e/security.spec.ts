import path from 'node:path';
import { expect, test } from '@playwright/test';
import { secretOf, totp } from '../harness/totp';
import { inviteToCompany, invitationPath } from './handoverHelpers';
import { newPassword, SCREENSHOT_DIR, signUpAndVerify, uniqueEmail, visit } from './helpers';

/** Issue 16: two-step sign-in end to end, the re-authentication prompt and retry, Profile → Security, the Company policy. */

type Page = import('@playwright/test').Page;

/** A Company with a sandbox card, set up through the API from the signed-in page. */
async function companyOf(page: Page, origin: string, name: string): Promise<{ id: string }> {
  const token = await (await page.request.post('/api/v1/payment-sandbox/tokens', { headers: { origin }, data: { number: '4242424242424242', expMonth: 12, expYear: new Date().getFullYear() + 2, cvc: '123' } })).json();
  const created = await page.request.post('/api/v1/companies', {
    headers: { origin },
    data: { name, billingContact: { name, address: { line1: 'Hauptstraße 1', postalCode: '10115', city: 'Berlin', country: 'DE' }, invoiceEmail: 'invoices@example.com', currency: 'EUR' }, paymentMethod: { token: token.token } },
  });
  expect(created.status()).toBe(201);
  return created.json();
}

/**
 * A POST that waits out Better Auth's limit on /two-factor/* (3 calls in 10 s per address; the
 * suite makes them from one address within seconds), as a person would.
 */
async function postPatiently(page: Page, origin: string, url: string, data: () => object) {
  for (let attempt = 0; ; attempt++) {
    const response = await page.request.post(url, { headers: { origin }, data: data() });
    if (response.status() !== 429 || attempt >= 3) return response;
    await page.waitForTimeout((Number(response.headers()['retry-after'] ?? 10) + 1) * 1000);
  }
}

/** Two-step sign-in on through the API (the browser flow itself is the first test). */
async function turnOnTwoFactor(page: Page, origin: string, password: string): Promise<void> {
  const started = await postPatiently(page, origin, '/api/auth/two-factor/enable', () => ({ password }));
  expect(started.status()).toBe(200);
  const secret = secretOf((await started.json()).totpURI);
  const verified = await postPatiently(page, origin, '/api/auth/two-factor/verify-totp', () => ({ code: totp(secret) }));
  expect(verified.status()).toBe(200);
}

async function shoot(page: import('@playwright/test').Page, name: string) {
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-desktop.png`), fullPage: true });
  const size = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(100);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-390.png`), fullPage: true });
  if (size) await page.setViewportSize(size);
}

test('re-authentication prompt retries the change; 2FA on with the QR code; sign-in asks for the code, or a recovery code', async ({ page, baseURL }, testInfo) => {
  const email = uniqueEmail('security');
  const password = newPassword();
  await signUpAndVerify(page, { email, password, first: 'Sam', last: 'Secure' });
  const origin = new URL(baseURL!).origin;

  // A Company to delete: the verification link's session is not fresh, so deleting asks for the password.
  const company = await companyOf(page, origin, 'Sam Secure Ltd');
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

  // No phone at hand: a recovery code signs in once. Better Auth allows 3 two-factor calls in
  // 10 s per address; a person is slower than this test, so it waits as well.
  await page.request.post('/api/auth/sign-out', { headers: { origin }, data: {} });
  await page.waitForTimeout(10_500);
  await page.goto('/sign-in');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Enter your code' })).toBeVisible();
  await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
  await page.getByLabel('Recovery code').fill(codes[0]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/sign-in/);
  await page.goto('/profile/security');
  await expect(page.getByText('This browser')).toBeVisible();

  // Turning it off: the sign-in with the recovery code just now counts as a confirmation (10 minutes),
  // so only the password in the form is asked for.
  await page.waitForTimeout(10_500);
  await page.getByRole('button', { name: 'Turn off two-step sign-in' }).click();
  await page.getByRole('textbox', { name: 'Your password' }).fill(password);
  await page.getByRole('button', { name: 'Turn off', exact: true }).click();
  await expect(page.getByText('Two-step sign-in is now off.')).toBeVisible();
  await expect(page.getByRole('dialog', { name: 'Please confirm it is you' })).toHaveCount(0);
});

test('changing a card asks for the password inline and keeps the card typed; a Company that requires two-step sign-in shows a member without it why', async ({ page, browser, baseURL }, testInfo) => {
  const origin = new URL(baseURL!).origin;
  const email = uniqueEmail('policy-owner');
  const password = newPassword();
  await signUpAndVerify(page, { email, password, first: 'Olga', last: 'Owner' });
  const companyName = `Policy ${Date.now().toString(36)}`;
  const company = await companyOf(page, origin, companyName);

  // The verification link's session is not fresh: saving a new card asks for the password.
  await page.goto(`/companies/${company.id}`);
  const billing = page.getByRole('region', { name: 'Billing', exact: true });
  await billing.getByRole('button', { name: 'Change card' }).click();
  await billing.getByLabel('Card number').fill('5555 5555 5555 4444');
  await billing.getByLabel('Expiry date').fill('11/31');
  await billing.getByLabel('Security code (CVC)').fill('321');
  await billing.getByRole('button', { name: 'Save the new card' }).click();
  const prompt = page.getByRole('dialog', { name: 'Please confirm it is you' });
  await expect(prompt).toBeVisible();
  // Cancelled: nothing is saved, the form says why and keeps what was typed.
  await prompt.getByRole('button', { name: 'Cancel' }).click();
  await expect(prompt).toHaveCount(0);
  await expect(billing.getByRole('alert').first()).toContainText(/password/i);
  await expect(billing.getByLabel('Card number')).toHaveValue(/5555 ?5555 ?5555 ?4444/);
  await expect(billing.getByLabel('Expiry date')).toHaveValue(/11 ?\/ ?31/);
  // Again, and confirmed: the same change goes through.
  await billing.getByRole('button', { name: 'Save the new card' }).click();
  await expect(prompt).toBeVisible();
  await prompt.getByRole('textbox', { name: 'Your password' }).fill('not my password at all');
  await prompt.getByRole('button', { name: 'Confirm and continue' }).click();
  await expect(prompt.getByText(/not right/).first()).toBeVisible();
  await prompt.getByRole('textbox', { name: 'Your password' }).fill(password);
  await prompt.getByRole('button', { name: 'Confirm and continue' }).click();
  await expect(billing.getByText('The new card is saved.')).toBeVisible();
  await expect(billing).toContainText('4444');

  // The owner turns on two-step sign-in for herself, then requires it for all members.
  await turnOnTwoFactor(page, origin, password);
  await page.reload();
  await page.getByRole('switch', { name: 'Require two-step sign-in for all members' }).focus();
  await page.keyboard.press('Space');
  await expect(page.getByText('All members now need two-step sign-in.')).toBeVisible();

  // A member without two-step sign-in joins and is told why the Company does not open.
  const context = await browser.newContext();
  const member = await context.newPage();
  const memberEmail = uniqueEmail('policy-member');
  const memberPassword = newPassword();
  await signUpAndVerify(member, { email: memberEmail, password: memberPassword, first: 'Mia', last: 'Member' });
  await inviteToCompany(page, company.id, { email: memberEmail, role: 'admin' });
  await member.goto(await invitationPath(member.request, memberEmail, new Set()));
  await member.getByRole('button', { name: `Join ${companyName}` }).click();
  await expect(member.getByRole('heading', { level: 1, name: 'This company asks for two-step sign-in' })).toBeVisible();
  await visit(member, 'security-company-requires-2fa', testInfo);
  // The Company list still names it.
  await member.goto('/companies');
  await expect(member.getByRole('link', { name: companyName }).first()).toBeVisible();
  await member.goto(`/companies/${company.id}`);
  await member.getByRole('link', { name: 'Turn on two-step sign-in' }).click();
  await expect(member.getByRole('heading', { level: 1, name: 'Security' })).toBeVisible();
  await turnOnTwoFactor(member, origin, memberPassword);
  await member.goto(`/companies/${company.id}`);
  await expect(member.getByRole('heading', { level: 1, name: companyName })).toBeVisible();
  await context.close();
});
