import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { checkA11y, DESKTOP, newPassword, SCREENSHOT_DIR, signUpAndVerify, uniqueEmail } from './helpers';
import { createTrialApp, fillNewCompany, invitationPath, sendHandover } from './handoverHelpers';

/**
 * Issue 11: the Dashboard's own pages (Home, Company, App, Book an App) come from the
 * catalogue. A client who chose German sees them in German, at desktop width and on a
 * 390 px phone, without accessibility violations; the English pages are covered by the
 * other specs.
 */
const PHONE_390 = { width: 390, height: 844 };
const stamp = Date.now().toString(36);
const appName = `backstube-${stamp}`;
const companyName = `Bäckerei Korn ${stamp}`;

async function shoot(page: Page, name: string) {
  await page.waitForLoadState('networkidle');
  await expect(page.locator('h1')).toBeVisible();
  for (const [size, viewport] of [['desktop', DESKTOP], ['390', PHONE_390]] as const) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(100);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${name} scrolls sideways at ${size}`).toBeLessThanOrEqual(0);
    await checkA11y(page, `${name} (${size})`);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${size}.png`), fullPage: true });
  }
  await page.setViewportSize(DESKTOP);
}

test('a client who chose German sees the Company, App and booking pages in German', async ({ browser }) => {
  test.setTimeout(300_000);
  const seen = new Set<string>();
  const clientEmail = uniqueEmail('kunde');
  const dev = await (await browser.newContext()).newPage();
  await signUpAndVerify(dev, { email: uniqueEmail('dev'), password: newPassword(), first: 'Dana', last: 'Developer' });
  await createTrialApp(dev, appName);
  await sendHandover(dev, { email: clientEmail, name: 'Clara Kunde' });

  const client = await (await browser.newContext()).newPage();
  await client.goto(await invitationPath(dev.request, clientEmail, seen));
  await client.getByRole('button', { name: 'Continue to accept' }).click();
  await client.getByLabel('Choose a password', { exact: true }).fill(newPassword());
  await client.getByRole('button', { name: 'Create account and continue' }).click();
  await fillNewCompany(client, { company: companyName, card: '4242 4242 4242 4242' });
  await client.getByRole('button', { name: /^Accept and pay €[\d.,]+ a month$/ }).click();
  await client.getByRole('link', { name: `Go to ${companyName}` }).click();
  await expect(client.getByRole('heading', { level: 1, name: companyName })).toBeVisible();
  const companyPath = new URL(client.url()).pathname;

  // Signed in, the footer switch saves the language on the Account (it signed up in English).
  await client.getByLabel('Language').selectOption('de');
  await client.reload();
  await expect(client.locator('html')).toHaveAttribute('lang', 'de');
  await expect(client.getByText('Ihre Rolle: Inhaber')).toBeVisible();
  await expect(client.getByRole('region', { name: 'Mitglieder' }).getByRole('button', { name: 'Jemanden einladen' })).toBeVisible();
  await expect(client.getByRole('button', { name: 'Firma löschen…' })).toBeVisible();
  await shoot(client, 'de-01-company');

  await client.getByRole('button', { name: 'Jemanden einladen' }).click();
  await expect(client.getByRole('dialog', { name: `Jemanden zu ${companyName} einladen` })).toBeVisible();
  await expect(client.getByRole('radio', { name: /Buchhaltung/ })).toBeVisible();
  await client.getByRole('button', { name: 'Einladung senden' }).click();
  await expect(client.getByText('Geben Sie die E-Mail-Adresse der Person ein, die Sie einladen.')).toBeVisible();
  await checkA11y(client, 'de-02-invite-dialog');
  await client.screenshot({ path: path.join(SCREENSHOT_DIR, 'de-02-invite-dialog-desktop.png') });
  await client.keyboard.press('Escape');

  await client.getByRole('link', { name: appName }).first().click();
  await expect(client.getByRole('heading', { level: 1, name: appName })).toBeVisible();
  await expect(client.getByText('Übersicht')).toBeVisible();
  // The client's view (issue 17): the website, its cost with VAT and who works on it, in German.
  await expect(client.locator('.lead')).toContainText('Ihre Website');
  await expect(client.locator('main')).toContainText(/zzgl\. 19 % MwSt\. .* im Monat/);
  await expect(client.getByRole('heading', { name: 'Wer daran arbeitet' })).toBeVisible();
  await expect(client.getByText('Technische Einstellungen')).toBeVisible();
  await shoot(client, 'de-03-app');

  await client.goto(`${companyPath}/book`);
  await expect(client.getByRole('heading', { level: 1, name: 'App buchen' })).toBeVisible();
  await expect(client.getByRole('group', { name: 'Größe der einzelnen Teile' })).toBeVisible();
  await client.getByRole('button', { name: 'App buchen' }).click();
  await expect(client.getByText('Geben Sie einen Namen für die App ein.').first()).toBeVisible();
  await shoot(client, 'de-04-book');

  await client.goto('/');
  await expect(client.getByRole('heading', { level: 2, name: 'Ihre Firmen' })).toBeVisible();
  await shoot(client, 'de-05-home');
});
