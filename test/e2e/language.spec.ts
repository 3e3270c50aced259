import path from 'node:path';
import { expect, test } from '@playwright/test';
import { checkA11y, linkIn, newPassword, pathOf, SCREENSHOT_DIR, submitSignUp, uniqueEmail, waitForMail } from './helpers';

/**
 * Issue 17 / ADR 0070: a German browser gets German pages from the first one, with a switch in
 * the footer; signed in, the choice is saved on the Account (and with it the mails' language).
 */
test('a German browser signs up in German, the mail is German, and the footer switch follows the Account', async ({ browser }) => {
  test.setTimeout(180_000);
  const context = await browser.newContext({ locale: 'de-DE', timezoneId: 'Europe/Berlin' });
  const page = await context.newPage();
  const email = uniqueEmail('sprache');

  await page.goto('/sign-in');
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expect(page.getByRole('heading', { level: 1, name: 'Anmelden' })).toBeVisible();
  await expect(page.getByLabel('Sprache')).toHaveValue('de');
  await checkA11y(page, 'sign-in (de)');
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'de-10-sign-in.png'), fullPage: true });

  // Signed out, the switch is remembered on this device.
  await page.getByLabel('Sprache').selectOption('en');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.getByLabel('Language').selectOption('de');
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');

  await page.getByRole('link', { name: 'Konto anlegen' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Konto anlegen' })).toBeVisible();
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Vorname').fill('Greta');
  await page.getByLabel('Nachname').fill('Gärtner');
  await page.getByLabel('Passwort', { exact: true }).fill(newPassword());
  await checkA11y(page, 'sign-up (de)');
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'de-11-sign-up.png'), fullPage: true });
  await submitSignUp(page, 'Konto anlegen');
  await expect(page).toHaveURL(/\/check-mail$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Sehen Sie in Ihr Postfach' })).toBeVisible();

  const mail = await waitForMail(page.request, email, (m) => m.text.includes('/api/auth/verify-email'));
  expect(mail.subject).toBe('Bestätigen Sie Ihre E-Mail-Adresse für das Dashboard');
  await page.goto(pathOf(linkIn(mail, '/api/auth/verify-email')));
  await page.goto('/profile');
  await expect(page.getByRole('heading', { level: 1, name: 'Ihr Profil' })).toBeVisible();
  await checkA11y(page, 'profile (de)');
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'de-12-profile.png'), fullPage: true });
  const me = await page.request.get('/api/v1/me');
  expect(await me.json()).toMatchObject({ language: 'de', timeZone: 'Europe/Berlin' });

  // Signed in, the switch saves the choice on the Account: a new browser without a stored choice follows it.
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/me') && r.request().method() === 'PATCH'),
    page.getByLabel('Sprache').selectOption('en'),
  ]);
  await expect(page.getByRole('heading', { level: 1, name: 'Your profile' })).toBeVisible();
  expect(await (await page.request.get('/api/v1/me')).json()).toMatchObject({ language: 'en' });
  await page.evaluate(() => localStorage.removeItem('dashboard.language'));
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Your profile' })).toBeVisible();
  await page.getByLabel('Language').selectOption('de');
  await expect(page.getByRole('heading', { level: 1, name: 'Ihr Profil' })).toBeVisible();

  await page.goto('/apps/new');
  await expect(page.getByRole('heading', { level: 1, name: 'Kostenlose Test-App anlegen' })).toBeVisible();
  await checkA11y(page, 'trial App (de)');
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'de-13-trial-app.png'), fullPage: true });
  await context.close();
});
