import { expect, test } from '@playwright/test';
import { linkIn, newPassword, pathOf, signUpAndVerify, uniqueEmail, visit, waitForMail } from './helpers';
import { createTrialApp, invitationPath, sendHandover } from './handoverHelpers';

/**
 * Issue 17, a dead end removed: a client who already has an account opens the invitation,
 * has forgotten the password, resets it from the mail, and lands back on the invitation,
 * signed out but one password away from accepting. Two browser contexts; axe and 375 px on
 * every page the client sees.
 */
test('a client resets a forgotten password from the invitation and comes back to it, ready to accept', async ({ browser }, testInfo) => {
  const devContext = await browser.newContext();
  const clientContext = await browser.newContext();
  const dev = await devContext.newPage();
  const client = await clientContext.newPage();
  const seen = new Set<string>();
  const clientEmail = uniqueEmail('forgetful');
  const appName = `florist-${Date.now().toString(36)}`;

  // The client has had an account for a while (and has since forgotten its password).
  await signUpAndVerify(client, { email: clientEmail, password: newPassword(), first: 'Fiona', last: 'Florist', client: true });
  await clientContext.clearCookies();

  await signUpAndVerify(dev, { email: uniqueEmail('dev'), password: newPassword(), first: 'Dana', last: 'Developer' });
  await createTrialApp(dev, appName);
  await sendHandover(dev, { email: clientEmail, name: 'Fiona Florist' });

  // The invitation: who are you? An existing account, but the password is gone.
  await client.goto(await invitationPath(dev.request, clientEmail, seen));
  await expect(client).toHaveURL(/\/invitation$/);
  await client.getByRole('button', { name: 'Continue to accept' }).click();
  await expect(client.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
  await client.getByRole('radio', { name: 'I already have an account' }).check();
  await client.getByRole('link', { name: 'Forgot your password?' }).click();

  // The reset request knows where it came from, and says the link comes back.
  await expect(client).toHaveURL(/\/forgot-password\?next=%2Finvitation%3Fstep%3Daccount$/);
  await expect(client.getByRole('heading', { level: 1, name: 'Forgot your password?' })).toBeVisible();
  await expect(client.getByRole('link', { name: 'Back to your invitation' })).toHaveAttribute('href', '/invitation?step=account');
  await visit(client, 'reset-from-invitation-01-forgot', testInfo);
  await client.getByLabel('E-mail address').fill(clientEmail);
  await client.getByRole('button', { name: 'Send me a link' }).click();
  await expect(client.getByText('the link brings you back to your invitation')).toBeVisible();

  // The mailed link carries the invitation's path (and nothing else but the token).
  const mail = await waitForMail(client.request, clientEmail, (m) => m.text.includes('/reset-password?token='), seen);
  const link = new URL(linkIn(mail, '/reset-password?token='));
  expect(link.searchParams.get('next')).toBe('/invitation?step=account');
  await client.goto(pathOf(link.href));
  await expect(client.getByRole('heading', { level: 1, name: 'Choose a new password' })).toBeVisible();
  // The token leaves the address bar at once.
  await expect(client).toHaveURL(/\/reset-password$/);
  await visit(client, 'reset-from-invitation-02-new-password', testInfo);
  const password = newPassword();
  await client.getByRole('textbox', { name: 'New password' }).fill(password);
  await client.getByRole('button', { name: 'Save new password' }).click();

  // Back on the invitation, on the sign-in form with the invited address, told what happened.
  await expect(client).toHaveURL(/\/invitation\?step=account$/);
  await expect(client.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
  await expect(client.getByText('Your password has been changed. Sign in with your new password to continue.')).toBeVisible();
  await expect(client.getByRole('radio', { name: 'I already have an account' })).toBeChecked();
  await expect(client.getByLabel('E-mail address')).toHaveValue(clientEmail);
  await visit(client, 'reset-from-invitation-03-back', testInfo);
  await client.getByLabel('Password', { exact: true }).fill(password);
  await client.getByRole('button', { name: 'Sign in and continue' }).click();

  // Ready to accept: the billing step of the same invitation, with the button that pays.
  await expect(client.getByRole('heading', { level: 1, name: 'Who pays for it?' })).toBeVisible();
  await expect(client.getByRole('button', { name: /^Accept and (pay|take over)/ })).toBeVisible();
  await visit(client, 'reset-from-invitation-04-billing', testInfo);

  await devContext.close();
  await clientContext.close();
});
