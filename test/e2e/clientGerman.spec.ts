import { expect, test, type Browser, type Page } from '@playwright/test';
import { jargonIn } from '../../src/shared/i18n/jargon';
import { linkIn, newPassword, pathOf, PHONE, signUpAndVerify, submitSignUp, uniqueEmail, waitForMail } from './helpers';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createTrialApp as createEnglishTrialApp } from './handoverHelpers';
import { englishIn, lookAtGermanPage } from './jargonCheck';

/**
 * Issue 17, "done when": a client walks from the mail to their Billing tab in German on a
 * phone without meeting a developer word or a dead end. Two people in two browser contexts:
 * a developer in Berlin, and a client whose phone browser speaks German (locale de-DE, 375 px).
 * The invitation mail is in the language the developer picks for it, else in hers (ADR 0092):
 * the walk has an English-speaking developer pick Deutsch; the dead ends a developer whose
 * Dashboard is German.
 */
const stamp = () => Date.now().toString(36);
const money = String.raw`[\d.]+,\d\d\s€`;

/**
 * With UPDATE_DOCS_SCREENSHOTS=1 (`npm run screenshots`): one phone screen (375 × 812) for the
 * README, scrolled to what matters on the page (or its top). Otherwise nothing: the suite
 * writes only to ignored folders.
 */
async function forDocs(page: Page, as: string, focus?: ReturnType<Page['locator']>) {
  if (process.env.UPDATE_DOCS_SCREENSHOTS !== '1') return;
  await page.setViewportSize(PHONE);
  if (focus) await focus.first().evaluate((el) => el.scrollIntoView({ block: 'center' }));
  else await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(150);
  mkdirSync(path.join('docs', 'screenshots'), { recursive: true });
  await page.screenshot({ path: path.join('docs', 'screenshots', as) });
}

/** A client's phone: German, Berlin time, 375 px wide. */
async function germanPhone(browser: Browser) {
  const context = await browser.newContext({ locale: 'de-DE', timezoneId: 'Europe/Berlin', viewport: PHONE, isMobile: false });
  return { context, page: await context.newPage() };
}

/**
 * A developer in Berlin who signed up and switched her Dashboard to Deutsch in the footer
 * (saved on her Account with her browser's zone, so her invitations are German, in MEZ).
 */
async function germanDeveloper(page: Page, email: string) {
  await signUpAndVerify(page, { email, password: newPassword(), first: 'Jana', last: 'Jäger' });
  await page.goto('/');
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/me') && r.request().method() === 'PATCH'),
    page.getByLabel('Language').selectOption('de'),
  ]);
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
}

async function createTrialApp(page: Page, name: string) {
  await page.goto('/apps/new');
  await page.getByLabel('Name der App').fill(name);
  await page.getByRole('button', { name: 'Test-App anlegen' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

async function sendHandover(page: Page, opts: { email: string; name?: string; message?: string }) {
  await page.getByRole('button', { name: 'An Kunden übergeben' }).click();
  const dialog = page.getByRole('dialog');
  // Her Dashboard is German, so the invitation is too unless she picks another language.
  await expect(dialog.getByLabel('Sprache der Einladung')).toHaveValue('de');
  await dialog.getByLabel('E-Mail-Adresse des Kunden').fill(opts.email);
  if (opts.name) await dialog.getByLabel('Name des Kunden').fill(opts.name);
  if (opts.message) await dialog.getByLabel('Persönliche Nachricht').fill(opts.message);
  await dialog.getByRole('button', { name: 'Einladung senden' }).click();
  await expect(page.getByText(`Einladung an ${opts.email} geschickt`)).toBeVisible();
}

/** The newest invitation mail to `to`: checked to be German and plain, returned with its link as a path. */
async function invitationMail(page: Page, to: string, seen: Set<string>) {
  const mail = await waitForMail(page.request, to, (m) => m.text.includes('/invite/'), seen);
  return { mail, path: pathOf(linkIn(mail, '/invite/')) };
}

/** Signs up on the invitation's account step, waiting out the sign-up limit as a person would. */
async function createAccount(page: Page, name: { first: string; last: string } = { first: 'Klara', last: 'Korn' }) {
  if (!(await page.getByLabel('Vorname').inputValue())) await page.getByLabel('Vorname').fill(name.first);
  if (!(await page.getByLabel('Nachname').inputValue())) await page.getByLabel('Nachname').fill(name.last);
  await page.getByLabel('Passwort wählen', { exact: true }).fill(newPassword());
  await submitSignUp(page, 'Konto anlegen und weiter');
  await expect(page.getByRole('heading', { level: 1, name: 'Wer bezahlt?' })).toBeVisible();
}

async function fillNewCompany(page: Page, company: string) {
  await page.getByLabel('Name der Firma').fill(company);
  await page.getByLabel('Name auf Rechnungen').fill('Bäckerei Korn GmbH');
  await page.getByLabel('Straße und Hausnummer').fill('Hauptstraße 1');
  await page.getByLabel('Postleitzahl').fill('10115');
  await page.getByLabel('Ort').fill('Berlin');
  await page.getByLabel('Land').selectOption('DE');
  await page.getByLabel('Kartennummer').fill('4242 4242 4242 4242');
  await page.getByLabel('Gültig bis').fill('12/34');
  await page.getByLabel('Prüfnummer (CVC)').fill('123');
}

const acceptAndPay = new RegExp(`^Annehmen und ${money} im Monat zahlen$`);

test('a German client on a phone walks from the mail to the Billing tab in German, without developer words or dead ends', async ({ browser }, testInfo) => {
  test.setTimeout(420_000);
  const seen = new Set<string>();
  const clientEmail = uniqueEmail('kunde');
  const appName = `backstube-${stamp()}`;
  const companyName = `Bäckerei Korn ${stamp()}`;

  // The developer works in English and writes to her client in German.
  const devContext = await browser.newContext({ timezoneId: 'Europe/Berlin' });
  const dev = await devContext.newPage();
  await signUpAndVerify(dev, { email: uniqueEmail('agency'), password: newPassword(), first: 'Jana', last: 'Jäger' });
  await createEnglishTrialApp(dev, appName);
  await dev.getByRole('button', { name: 'Hand over to client' }).click();
  const dialog = dev.getByRole('dialog');
  await expect(dialog.getByLabel('Language of the invitation')).toHaveValue('en');
  await dialog.getByLabel('Client’s e-mail address').fill(clientEmail);
  await dialog.getByLabel('Client’s name').fill('Klara Korn');
  await dialog.getByLabel('Personal message').fill('Hier ist Ihre neue Website. Willkommen!');
  await dialog.getByLabel('Language of the invitation').selectOption('de');
  await dialog.getByRole('button', { name: 'Send invitation' }).click();
  await expect(dev.getByText(`Invitation sent to ${clientEmail}`)).toBeVisible();

  // The mail: German, as the developer chose, with times in her zone's German name; no developer words.
  const { mail, path: link } = await invitationMail(dev, clientEmail, seen);
  expect(mail.subject).toBe(`Jana Jäger lädt Sie ein, Ihre Website „${appName}“ zu übernehmen`);
  expect(mail.text).toContain('Guten Tag Klara Korn,');
  expect(mail.text).toMatch(/Dieser Link funktioniert bis .* (MEZ|MESZ)/);
  expect(jargonIn(mail.text)).toEqual([]);
  expect(englishIn(mail.text)).toEqual([]);

  // The client opens the link on her phone: the offer in German, with net, VAT and gross.
  const { context: clientContext, page: client } = await germanPhone(browser);
  await client.goto(link);
  await expect(client).toHaveURL(/\/invitation$/);
  await expect(client.getByRole('heading', { level: 1 })).toHaveText(`Jana Jäger lädt Sie ein, ${appName} zu übernehmen`);
  await expect(client.getByText('Hallo Klara Korn')).toBeVisible();
  await expect(client.locator('.offer-price')).toContainText(new RegExp(`${money} im Monat, zzgl. MwSt.`));
  await expect(client.getByText(new RegExp(`Mit 19 % MwSt\\. für Deutschland: ${money} im Monat\\.`))).toBeVisible();
  await expect(client.getByText(new RegExp(`Ihre erste Rechnung kommt am .*: etwa ${money}\\.`))).toBeVisible();
  await expect(client.getByRole('heading', { name: 'So beenden Sie die Zahlung' })).toBeVisible();
  await expect(client.locator('footer')).toContainText('Dieser Dienst wird angeboten von');
  await expect(client.locator('footer').getByRole('link', { name: 'AGB' })).toBeVisible();
  await expect(client.locator('footer').getByLabel('Sprache')).toHaveValue('de');
  await lookAtGermanPage(client, 'de-client-01-offer', testInfo);
  await forDocs(client, 'de-phone-1-offer.png');

  // Her account: the invited address, fixed; a short password is refused in German.
  await client.getByRole('button', { name: 'Weiter zur Annahme' }).click();
  await expect(client.getByRole('heading', { level: 1, name: 'Ihr Konto' })).toBeFocused();
  await expect(client.getByLabel('E-Mail-Adresse')).toHaveValue(clientEmail);
  await expect(client.getByLabel('Vorname')).toHaveValue('Klara');
  await client.getByLabel('Passwort wählen', { exact: true }).fill('kurz');
  await client.getByRole('button', { name: 'Konto anlegen und weiter' }).click();
  await expect(client.getByLabel('Passwort wählen', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await lookAtGermanPage(client, 'de-client-02-account', testInfo);
  await createAccount(client);

  // Billing: the numbers follow the address as typed; the button says what it does.
  await expect(client.getByLabel('E-Mail für Rechnungen')).toHaveValue(clientEmail);
  await fillNewCompany(client, companyName);
  await expect(client.locator('.price-breakdown')).toContainText(new RegExp(`${money} zzgl\\. 19 % MwSt\\. \\(${money}\\) = ${money} im Monat`));
  await expect(client.getByRole('button', { name: acceptAndPay })).toBeVisible();
  await lookAtGermanPage(client, 'de-client-03-billing', testInfo);
  await forDocs(client, 'de-phone-2-billing.png', client.locator('.price-breakdown'));
  await client.getByRole('button', { name: acceptAndPay }).click();

  // Done: what was agreed, in German, and the way to the Billing tab.
  await expect(client.getByRole('heading', { level: 1, name: `${appName} gehört Ihnen` })).toBeVisible();
  await expect(client.getByRole('heading', { name: 'Was Sie vereinbart haben' })).toBeVisible();
  await expect(client.locator('.facts')).toContainText(new RegExp(`${money} zzgl\\. 19 % MwSt\\. \\(${money}\\) = ${money} im Monat`));
  await expect(client.locator('.facts')).toContainText('Visa mit den Endziffern 4242');
  await lookAtGermanPage(client, 'de-client-04-done', testInfo);
  await forDocs(client, 'de-phone-3-done.png', client.locator('.facts'));

  // Her confirmation mail is German too: her Account took the language of the pages she signed up on.
  const confirmation = await waitForMail(client.request, clientEmail, (m) => m.text.includes('?tab=billing'), seen);
  expect(confirmation.subject).toBe(`„${appName}“ gehört jetzt Ihnen`);
  expect(jargonIn(confirmation.text)).toEqual([]);
  expect(englishIn(confirmation.text)).toEqual([]);
  expect((await (await client.request.get('/api/v1/me')).json())).toMatchObject({ language: 'de', timeZone: 'Europe/Berlin' });

  // The Billing tab of her Company: billing and team first, the card by its last four digits.
  await client.getByRole('link', { name: 'Abrechnung und Rechnungen ansehen' }).click();
  await expect(client).toHaveURL(/\/companies\/[^/?]+\?tab=billing$/);
  await expect(client.getByRole('heading', { level: 1, name: companyName })).toBeVisible();
  await expect(client.getByText('Ihre Rolle: Inhaber')).toBeVisible();
  await expect(client.locator('main')).toContainText('4242');
  await expect(client.locator('main')).not.toContainText('Umgebungsvariablen');
  await lookAtGermanPage(client, 'de-client-05-company-billing', testInfo);
  await forDocs(client, 'de-phone-4-billing-tab.png');

  // Her App page: the website as an owner sees it; the developer's settings closed, no secret values.
  await client.getByRole('link', { name: appName, exact: true }).first().click();
  await expect(client.getByRole('heading', { level: 1, name: appName })).toBeVisible();
  await expect(client.locator('main')).toContainText(new RegExp(`${money} zzgl\\. 19 % MwSt\\. \\(${money}\\) = ${money} im Monat`));
  await expect(client.getByRole('list', { name: 'Wer daran arbeitet' })).toContainText('Jana Jäger');
  await expect(client.getByRole('heading', { name: 'Umgebungsvariablen' })).toHaveCount(0);
  await lookAtGermanPage(client, 'de-client-06-app', testInfo);
  await forDocs(client, 'de-phone-5-app.png');
  await client.getByText('Technische Einstellungen').click();
  await expect(client.getByText(/Diese Einstellungen sind für Ihren Entwickler/)).toBeVisible();
  await expect(client.locator('main')).not.toContainText('Umgebungsvariablen');

  await devContext.close();
  await clientContext.close();
});

test('German dead ends on a phone: a replaced, garbled, withdrawn or declined link, and one withdrawn while filling in billing, each say what happened and offer a way on', async ({ browser }, testInfo) => {
  test.setTimeout(420_000);
  const seen = new Set<string>();
  const devEmail = uniqueEmail('agentur');
  const clientEmail = uniqueEmail('kunde');
  const appName = `laden-${stamp()}`;

  const devContext = await browser.newContext({ timezoneId: 'Europe/Berlin' });
  const dev = await devContext.newPage();
  await germanDeveloper(dev, devEmail);
  await createTrialApp(dev, appName);
  await sendHandover(dev, { email: clientEmail });
  const first = (await invitationMail(dev, clientEmail, seen)).path;

  // Replaced by "Erneut senden": the old link says a newer mail has the working one.
  await dev.getByRole('button', { name: `Einladung an ${clientEmail} erneut senden` }).click();
  await expect(dev.getByText(`Ein neuer Link ging an ${clientEmail}`)).toBeVisible();
  const second = (await invitationMail(dev, clientEmail, seen)).path;
  const { context: clientContext, page: client } = await germanPhone(browser);
  await client.goto(first);
  await expect(client.getByRole('heading', { level: 1, name: 'Es wurde eine neuere Einladung gesendet' })).toBeVisible();
  await expect(client.getByText(/Suchen Sie in Ihrem Posteingang die neueste E-Mail/)).toBeVisible();
  // Most clients have no account yet: the sign-in button comes with the words for who it is for.
  await expect(client.getByText(/Sie haben schon ein Konto bei uns\? Dann können Sie sich auch anmelden/)).toBeVisible();
  await expect(client.locator('main').getByRole('link', { name: 'Anmelden' })).toBeVisible();
  await lookAtGermanPage(client, 'de-client-20-superseded', testInfo);
  await forDocs(client, 'de-phone-6-newer-invitation.png');

  // A garbled link, signed out: what to check, and a way on.
  await client.goto('/invite/abgeschnitten');
  await expect(client.getByRole('heading', { level: 1, name: 'Dieser Einladungslink funktioniert nicht' })).toBeVisible();
  await expect(client.getByText(/ob Sie den ganzen Link aus der E-Mail geöffnet haben/)).toBeVisible();
  await expect(client.locator('main').getByRole('link', { name: 'Anmelden' })).toBeVisible();
  await lookAtGermanPage(client, 'de-client-21-garbled', testInfo);

  // Withdrawn while she fills in billing: nothing happened, her entries stay, and she is told why.
  await client.goto(second);
  await client.getByRole('button', { name: 'Weiter zur Annahme' }).click();
  await createAccount(client);
  await fillNewCompany(client, `Laden ${stamp()}`);
  await dev.reload();
  await dev.getByRole('button', { name: `Einladung an ${clientEmail} widerrufen` }).click();
  await dev.getByRole('alertdialog').getByRole('button', { name: 'Einladung widerrufen' }).click();
  await expect(dev.getByText(`Die Einladung an ${clientEmail} ist widerrufen.`)).toBeVisible();
  await client.getByRole('button', { name: acceptAndPay }).click();
  const alert = client.getByRole('alert').filter({ hasText: 'zurückgezogen' });
  await expect(alert).toContainText('Es wurde nichts belastet');
  await expect(client.getByLabel('Straße und Hausnummer')).toHaveValue('Hauptstraße 1');
  await lookAtGermanPage(client, 'de-client-22-withdrawn-while-filling', testInfo);
  await alert.getByRole('button', { name: 'Um eine neue Einladung bitten' }).click();
  await expect(client.getByText('Wir haben Jana Jäger gebeten, Ihnen eine neue Einladung zu senden.')).toBeVisible();
  await waitForMail(dev.request, devEmail, (m) => m.text.includes(clientEmail), seen);

  // The withdrawn link, opened again: who invited, and "ask for a new invitation".
  await client.goto(second);
  await expect(client.getByRole('heading', { level: 1, name: 'Diese Einladung wurde zurückgezogen' })).toBeVisible();
  await expect(client.getByText(`Jana Jäger hat Sie eingeladen, ${appName} zu übernehmen`)).toBeVisible();
  await lookAtGermanPage(client, 'de-client-23-revoked', testInfo);

  // A fresh invitation, declined: said plainly, and she can still change her mind.
  await dev.reload();
  await sendHandover(dev, { email: clientEmail });
  await client.goto((await invitationMail(dev, clientEmail, seen)).path);
  await client.getByRole('button', { name: 'Ablehnen' }).click();
  await expect(client.getByRole('alertdialog')).toContainText('Jana Jäger erfährt, dass Sie abgelehnt haben');
  await client.getByRole('alertdialog').getByRole('button', { name: 'Ablehnen' }).click();
  await expect(client.getByRole('heading', { level: 1, name: 'Sie haben die Einladung abgelehnt' })).toBeVisible();
  await expect(client.getByRole('button', { name: 'Um eine neue Einladung bitten' })).toBeVisible();
  await lookAtGermanPage(client, 'de-client-24-declined', testInfo);
  await client.getByRole('button', { name: 'Um eine neue Einladung bitten' }).click();
  await expect(client.getByText('Anfrage gesendet')).toBeVisible();
  await lookAtGermanPage(client, 'de-client-25-asked-again', testInfo);

  await devContext.close();
  await clientContext.close();
});
