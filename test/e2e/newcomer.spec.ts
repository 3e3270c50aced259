import { expect, test, type Page } from '@playwright/test';
import { linkIn, makeSshKey, newPassword, pathOf, signUpAndVerify, submitSignUp, uniqueEmail, visit, waitForMail } from './helpers';

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

test('a newcomer signs up, confirms the mail, edits the profile, manages SSH keys and resets the password', async ({ page }, testInfo) => {
  const email = uniqueEmail('dev');
  const password = newPassword();

  await page.goto('/');
  await visit(page, '01-home-signed-out', testInfo);
  await page.getByRole('link', { name: 'Create an account' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Create your account' })).toBeFocused();
  await visit(page, '02-sign-up', testInfo);

  // Empty submit: every required field says what is missing, focus moves to the first one.
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('alert').first()).toContainText('Please correct the fields marked below.');
  await expect(page.getByLabel('E-mail address')).toBeFocused();
  await expect(page.getByText('Enter your first name.')).toBeVisible();

  // A short password: the server's problem+json error lands next to the password field.
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('First name').fill('Dana');
  await page.getByLabel('Last name').fill('Developer');
  await page.getByLabel('Password', { exact: true }).fill('short one');
  await submitSignUp(page);
  await expect(page.getByLabel('Password', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('.field-error').filter({ hasText: 'at least 15 characters' })).toBeVisible();
  await visit(page, '03-sign-up-errors', testInfo);

  // The show-password toggle.
  await page.getByRole('button', { name: 'Show password' }).click();
  await expect(page.getByLabel('Password', { exact: true })).toHaveAttribute('type', 'text');
  await page.getByRole('button', { name: 'Hide password' }).click();
  await expect(page.getByLabel('Password', { exact: true })).toHaveAttribute('type', 'password');

  await expect(page.getByRole('radio', { name: /developer/ })).toBeChecked();
  await page.getByLabel('Password', { exact: true }).fill(password);
  await submitSignUp(page);
  await expect(page).toHaveURL(/\/check-mail$/);
  await expect(page.getByText(email)).toBeVisible();
  await expect(page.getByRole('link', { name: 'dev mailbox' })).toBeVisible();
  await visit(page, '04-check-mail', testInfo);
  await page.getByRole('button', { name: 'Send the link again' }).click();
  await expect(page.getByText('We have sent a new link.')).toBeVisible();

  // Only the newest link works: follow the latest verification mail.
  await expect.poll(async () => {
    const { items } = await (await page.request.get('/api/dev/mailbox')).json() as { items: { to: string; text: string }[] };
    return items.filter((m) => m.to === email && m.text.includes('/api/auth/verify-email')).length;
  }).toBeGreaterThanOrEqual(2);
  const mail = await waitForMail(page.request, email, (m) => m.text.includes('/api/auth/verify-email'));
  await page.goto(pathOf(linkIn(mail, '/api/auth/verify-email')));
  await expect(page.getByText('Your e-mail address is confirmed')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome, Dana');
  expect(new URL(page.url()).search).toBe('');
  await visit(page, '05-home-verified', testInfo);

  // Profile: names, newsletter.
  await nav(page).getByRole('link', { name: 'Profile' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your profile' })).toBeFocused();
  await expect(page.getByLabel('First name')).toHaveValue('Dana');
  await visit(page, '06-profile', testInfo);
  await page.getByLabel('Last name').fill('Devlin');
  await page.getByText('Send me the developer newsletter').click();
  await expect(page.getByRole('checkbox', { name: 'Send me the developer newsletter' })).toBeChecked();
  await page.getByRole('button', { name: 'Save details' }).click();
  await expect(page.getByText('Your details are saved.')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Last name')).toHaveValue('Devlin');
  await expect(page.getByRole('checkbox', { name: 'Send me the developer newsletter' })).toBeChecked();

  // SSH keys: a bad key gets a plain message next to the field; a good one is listed with its fingerprint.
  await nav(page).getByRole('link', { name: 'SSH keys' }).click();
  await expect(page.getByText('No SSH keys yet')).toBeVisible();
  await visit(page, '07-ssh-keys-empty', testInfo);
  await page.getByLabel('Name').fill('Work laptop');
  await page.getByLabel('Public key').fill('ssh-ed25519 not-a-key');
  await page.getByRole('button', { name: 'Add key' }).click();
  await expect(page.getByLabel('Public key')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Public key')).toBeFocused();
  await visit(page, '08-ssh-keys-error', testInfo);
  const key = makeSshKey('dana@laptop');
  await page.getByLabel('Public key').fill(key.publicKey);
  await page.getByRole('button', { name: 'Add key' }).click();
  await expect(page.getByText('The key “Work laptop” was added.')).toBeVisible();
  const list = page.getByRole('list', { name: 'SSH keys' });
  await expect(list.getByText('Work laptop')).toBeVisible();
  await expect(list.locator('.fingerprint')).toHaveText(`Fingerprint: ${key.fingerprint}`);
  await expect(list).toContainText('256 bits');
  await visit(page, '09-ssh-keys-listed', testInfo);

  await page.getByRole('button', { name: 'Delete key Work laptop' }).click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(key.fingerprint);
  await visit(page, '10-ssh-keys-delete-dialog', testInfo);
  await dialog.getByRole('button', { name: 'Delete key' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('No SSH keys yet')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Delete key Work laptop' })).toHaveCount(0);

  // Sign out, then a wrong password, then the right one.
  await nav(page).getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByText('You are signed out.')).toBeVisible();
  await visit(page, '11-sign-in', testInfo);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill('wrong password that is long');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').first()).toContainText('The e-mail address or the password is not right.');
  await visit(page, '12-sign-in-error', testInfo);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome, Dana');

  // Forgot password: the mailed link leads to the reset page, then to sign-in with a message.
  await nav(page).getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.getByRole('link', { name: 'Forgot password?' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Forgot your password?' })).toBeFocused();
  await visit(page, '13-forgot-password', testInfo);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await expect(page.getByText('a link to choose a new password is on its way')).toBeVisible();
  const resetMail = await waitForMail(page.request, email, (m) => m.text.includes('/reset-password?token='));
  await page.goto(pathOf(linkIn(resetMail, '/reset-password?token=')));
  await expect(page.getByRole('heading', { level: 1, name: 'Choose a new password' })).toBeVisible();
  await expect(page).toHaveURL(/\/reset-password$/);
  await visit(page, '14-reset-password', testInfo);
  const nextPassword = newPassword();
  await page.getByLabel('New password', { exact: true }).fill(nextPassword);
  await page.getByRole('button', { name: 'Save new password' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByText('Your password has been changed.')).toBeVisible();

  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').first()).toContainText('not right');
  await page.getByLabel('Password', { exact: true }).fill(nextPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome, Dana');
});

test('an expired or used confirmation link is explained on the home page', async ({ page }, testInfo) => {
  await page.goto(`/api/auth/verify-email?token=not-a-token&callbackURL=${encodeURIComponent('/?verified=1')}`);
  await expect(page.getByText('This confirmation link does not work any more')).toBeVisible();
  await expect(page.getByText('Your e-mail address is confirmed')).toHaveCount(0);
  expect(new URL(page.url()).search).toBe('');
  await visit(page, '15-confirmation-link-problem', testInfo);
});

test('a client account never sees SSH keys or the newsletter', async ({ page }, testInfo) => {
  const email = uniqueEmail('client');
  await signUpAndVerify(page, { email, password: newPassword(), first: 'Carla', last: 'Client', client: true });
  await expect(nav(page)).toBeVisible();
  await expect(page.getByText(/SSH/)).toHaveCount(0);
  await visit(page, '20-client-home', testInfo);

  await nav(page).getByRole('link', { name: 'Profile' }).click();
  await expect(page.getByRole('radio', { name: /Client/ })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: /newsletter/ })).toHaveCount(0);
  await expect(page.getByText(/SSH/)).toHaveCount(0);
  await visit(page, '21-client-profile', testInfo);

  await page.goto('/ssh-keys');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This page does not exist');
  await expect(page.getByText(/SSH/)).toHaveCount(0);
  const response = await page.request.get('/api/v1/me/ssh-keys');
  expect([200, 403]).toContain(response.status());
});

test('a developer who switches to a client account loses the SSH keys link', async ({ page }) => {
  const email = uniqueEmail('switch');
  await signUpAndVerify(page, { email, password: newPassword(), first: 'Sam', last: 'Switch' });
  await expect(nav(page).getByRole('link', { name: 'SSH keys' })).toBeVisible();
  await nav(page).getByRole('link', { name: 'Profile' }).click();
  await page.getByRole('radio', { name: /Client/ }).check();
  await expect(page.getByRole('checkbox', { name: /newsletter/ })).toHaveCount(0);
  await page.getByRole('button', { name: 'Save details' }).click();
  await expect(page.getByText('Your details are saved.')).toBeVisible();
  await expect(nav(page).getByRole('link', { name: 'SSH keys' })).toHaveCount(0);
});
