import { expect, test, type Page } from '@playwright/test';
import { newPassword, signUpAndVerify, uniqueEmail, visit } from './helpers';

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

async function fillCompanyForm(page: Page, opts: { name: string; card: string }) {
  await page.getByLabel('Company name').fill(opts.name);
  await page.getByLabel('Name on invoices').fill('Bakery Schmidt GmbH');
  await page.getByLabel('Street and number').fill('Hauptstraße 1');
  await page.getByLabel('Postal code').fill('10115');
  await page.getByLabel('City').fill('Berlin');
  await page.getByLabel('Country').selectOption('DE');
  await page.getByLabel('E-mail for invoices').fill('billing@bakery.example');
  await page.getByLabel('Card number').fill(opts.card);
  await page.getByLabel('Expiry date').fill('12/34');
  await page.getByLabel('Security code (CVC)').fill('123');
}

test('a developer tries an App, sets up a Company, books, scales and configures an App, and sees it in the activity', async ({ page }, testInfo) => {
  const password = newPassword();
  await signUpAndVerify(page, { email: uniqueEmail('agency'), password, first: 'Alex', last: 'Agency' });

  // Empty states say what to do next.
  await expect(page.getByText('You are not in any Company yet')).toBeVisible();
  await expect(page.getByText('No Apps yet')).toBeVisible();
  await visit(page, '30-dashboard-empty', testInfo);

  // A trial App: the name rules are explained and checked.
  await page.getByRole('link', { name: 'Create a free trial App' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Create a free trial App' })).toBeFocused();
  await page.getByLabel('App name').fill('x');
  await page.getByRole('button', { name: 'Create trial App' }).click();
  await expect(page.getByLabel('App name')).toHaveAttribute('aria-invalid', 'true');
  await visit(page, '31-trial-app-new-error', testInfo);
  const trialName = `trial-${Date.now().toString(36)}`;
  await page.getByLabel('App name').fill(trialName);
  await page.getByRole('button', { name: 'Create trial App' }).click();
  await expect(page.getByRole('heading', { level: 1, name: trialName })).toBeVisible();
  await expect(page.getByText(`Your trial App “${trialName}” is ready.`)).toBeVisible();
  await expect(page.getByText('Free during the trial')).toBeVisible();
  await expect(page.getByText(/days left/)).toBeVisible();
  await visit(page, '32-trial-app', testInfo);

  // Set up a Company; a declined card is refused with a clear message first.
  await nav(page).getByRole('link', { name: 'Companies' }).click();
  await page.getByRole('link', { name: 'Set up a new Company' }).click();
  await expect(page.getByText('Whoever types a client’s card details here handles the client’s payment data')).toBeVisible();
  await expect(page.getByText('The currency cannot be changed later.')).toBeVisible();
  await visit(page, '33-company-new', testInfo);
  await page.getByRole('button', { name: 'Set up Company' }).click();
  await expect(page.getByLabel('Company name')).toBeFocused();
  await visit(page, '34-company-new-errors', testInfo);
  const companyName = `Bakery ${Date.now().toString(36)}`;
  await fillCompanyForm(page, { name: companyName, card: '4000000000000002' });
  await page.getByRole('button', { name: 'Set up Company' }).click();
  await expect(page.getByRole('alert').filter({ hasText: /declined/i }).first()).toBeVisible();
  await page.getByLabel('Card number').fill('4242 4242 4242 4242');
  await page.getByRole('button', { name: 'Set up Company' }).click();
  await expect(page.getByRole('heading', { level: 1, name: companyName })).toBeVisible();
  await expect(page.getByText('Your role:')).toContainText('Owner');
  await expect(page.getByRole('list', { name: 'Billing contacts' })).toContainText('ending in 4242');
  await visit(page, '35-company', testInfo);

  // Book an App with a plan; the monthly price shows before confirming and follows the plan.
  await page.getByRole('link', { name: 'Book an App' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Book an App' })).toBeVisible();
  const appName = `shop-${Date.now().toString(36)}`;
  await page.getByLabel('App name').fill(appName);
  await expect(page.getByLabel('Billing contact')).not.toHaveValue('');
  const summary = page.getByRole('region', { name: 'Summary' });
  await expect(summary).toContainText('€16.00');
  await page.getByLabel('PHP').selectOption('php-m');
  await expect(summary).toContainText('€26.00');
  await visit(page, '36-book-app', testInfo);
  await page.getByRole('button', { name: 'Book App' }).click();
  await expect(page.getByRole('heading', { level: 1, name: appName })).toBeVisible();
  await expect(page.getByText(`The App “${appName}” is booked for ${companyName}.`)).toBeVisible();
  await expect(page.locator('.facts')).toContainText('€26.00');

  // Scale it.
  await page.getByLabel('Database').selectOption('db-m');
  await expect(page.locator('.price-line')).toContainText('€36.00');
  await page.getByRole('button', { name: 'Change plan' }).click();
  await expect(page.getByText('The new plan is active.')).toBeVisible();
  await expect(page.locator('.facts')).toContainText('€36.00');

  // An environment variable: a bad name is explained next to the row, then saved.
  await page.getByRole('button', { name: 'Add a variable' }).click();
  await page.getByLabel('Name 1').fill('1BAD');
  await page.getByLabel('Value 1').fill('x');
  await page.getByRole('button', { name: 'Save variables' }).click();
  await expect(page.getByLabel('Name 1')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Name 1').fill('api_key');
  await expect(page.getByLabel('Name 1')).toHaveValue('API_KEY');
  await page.getByLabel('Value 1').fill('s3cret-value');
  await page.getByRole('button', { name: 'Save variables' }).click();
  await expect(page.getByText('The environment variables are saved.')).toBeVisible();
  await visit(page, '37-app', testInfo);
  await page.reload();
  await expect(page.getByLabel('Name 1')).toHaveValue('API_KEY');

  // The activity list shows what happened.
  await page.getByRole('link', { name: companyName }).first().click();
  const activity = page.getByRole('list', { name: 'Activity, newest first' });
  await expect(activity).toContainText('booked an App');
  await expect(activity).toContainText('changed the plan');
  await expect(activity).toContainText('changed environment variables');
  await expect(page.getByRole('list', { name: 'Apps of this Company' })).toContainText(appName);
  await page.getByRole('switch', { name: 'Block transfers out' }).focus();
  await page.keyboard.press('Space');
  await expect(page.getByText('Transfers out are now blocked.')).toBeVisible();
  await visit(page, '38-company-activity', testInfo);

  // Delete the booked App with its typed name.
  await page.getByRole('list', { name: 'Apps of this Company' }).getByRole('link', { name: appName, exact: true }).click();
  await page.getByRole('button', { name: 'Delete App…' }).click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog.getByRole('button', { name: 'Delete App for good' })).toBeDisabled();
  await dialog.getByLabel(`Type “${appName}” to confirm`).fill(appName);
  await visit(page, '39-app-delete-dialog', testInfo);
  await dialog.getByRole('button', { name: 'Delete App for good' }).click();
  await expect(page.getByText(`The App “${appName}” was deleted.`)).toBeVisible();
  await expect(page.getByRole('list', { name: 'Apps' })).not.toContainText(appName);

  // Delete the Company: typed name, and the password again (the session came from the
  // verification link, not from a password within the last 10 minutes; issue 16).
  await page.getByRole('link', { name: companyName }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: companyName })).toBeVisible();
  await page.getByRole('button', { name: 'Delete Company…' }).click();
  const companyDialog = page.getByRole('alertdialog');
  await companyDialog.getByLabel(`Type “${companyName}” to confirm`).fill(companyName);
  await companyDialog.getByRole('button', { name: 'Delete Company for good' }).click();
  const prompt = page.getByRole('dialog', { name: 'Please confirm it is you' });
  await prompt.getByRole('textbox', { name: 'Your password' }).fill(password);
  await prompt.getByRole('button', { name: 'Confirm and continue' }).click();
  await expect(page.getByText(`The Company “${companyName}” was deleted.`)).toBeVisible();
  await expect(page.getByText('You are not in any Company yet')).toBeVisible();
});
