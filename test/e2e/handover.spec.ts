import { jargonIn } from '../../src/shared/i18n/jargon';
import { expect, test, type Page } from '@playwright/test';
import { newPassword, signUpAndVerify, uniqueEmail, visit, waitForMail } from './helpers';
import { createTrialApp, fillNewCompany, invitationPath, inviteToCompany, keepForDocs, sendHandover, visitDialog } from './handoverHelpers';

/**
 * Issue 4, the client handover, told by two people in two browser contexts: a developer who
 * hands a trial App over, and a client who takes it over from the mailed link.
 */
const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
const stamp = () => Date.now().toString(36);

test('a developer hands a trial App over; the client signs up from the mail, pays and owns it; the developer stays as admin', async ({ browser }, testInfo) => {
  const devContext = await browser.newContext();
  const clientContext = await browser.newContext();
  const dev = await devContext.newPage();
  const client = await clientContext.newPage();
  const seen = new Set<string>();
  const clientEmail = uniqueEmail('client');
  const appName = `bakery-${stamp()}`;
  const companyName = `Bäckerei Brot ${stamp()}`;

  // The developer: account, trial App, and the handover dialog.
  await signUpAndVerify(dev, { email: uniqueEmail('dev'), password: newPassword(), first: 'Dana', last: 'Developer' });
  await createTrialApp(dev, appName);
  const handover = dev.getByRole('region', { name: 'Hand over to a client' });
  await expect(handover).toContainText('You stay on as admin');
  await visit(dev, 'handover-01-dev-app', testInfo);

  await dev.getByRole('button', { name: 'Hand over to client' }).click();
  const dialog = dev.getByRole('dialog');
  await expect(dialog.getByRole('heading', { name: `Hand ${appName} over to your client` })).toBeVisible();
  await expect(dialog.getByLabel('Client’s e-mail address')).toBeFocused();
  // The plan is pre-filled and priced live.
  await expect(dialog.locator('.price-line')).toContainText('€');
  const before = await dialog.locator('.price-line').textContent();
  await dialog.getByLabel('PHP').selectOption('php-m');
  await expect(dialog.locator('.price-line')).not.toHaveText(before ?? '');
  await dialog.getByRole('button', { name: 'Send invitation' }).click();
  await expect(dialog.getByLabel('Client’s e-mail address')).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog).toContainText('become admin of their Company');
  await visitDialog(dev, 'handover-02-dev-dialog', testInfo);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();

  await sendHandover(dev, { email: clientEmail, name: 'Clara Client', message: 'Here is your new website. Welcome aboard!' });
  const invitations = dev.getByRole('list', { name: 'Client invitations' });
  await expect(invitations).toContainText(clientEmail);
  await expect(invitations).toContainText('Waiting for the client');
  await expect(invitations).toContainText(/Link expires in (2|3) days/);
  await visit(dev, 'handover-03-dev-invited', testInfo);

  // The client opens the mailed link: the token leaves the address bar at once.
  const link = await invitationPath(dev.request, clientEmail, seen);
  await client.goto(link);
  await expect(client).toHaveURL(/\/invitation$/);
  await expect(client.getByRole('heading', { level: 1 })).toHaveText(`Dana Developer invites you to take over ${appName}`);
  await expect(client.getByText('Hello Clara Client')).toBeVisible();
  await expect(client.getByText('Welcome aboard!')).toBeVisible();
  await expect(client.locator('.offer-price')).toContainText('€');
  await expect(client.getByText('You pay from')).toBeVisible();
  // Issue 17: VAT and gross, the first invoice, how to stop paying, the seller with terms and privacy.
  await expect(client.getByText(/With 19 % VAT for Germany: €[\d.,]+ a month\./)).toBeVisible();
  await expect(client.getByText(/Your first invoice comes on .* about €[\d.,]+\./)).toBeVisible();
  await expect(client.getByRole('heading', { name: 'How to stop paying' })).toBeVisible();
  await expect(client.locator('footer')).toContainText('This service is provided by Dashboard Hosting GmbH');
  await expect(client.locator('footer').getByRole('link', { name: 'Terms' })).toHaveAttribute('href', /\/terms$/);
  await expect(client.locator('footer').getByRole('link', { name: 'Privacy' })).toHaveAttribute('href', /\/privacy$/);
  await expect(client.getByText(/keeps working on it for you, as admin/)).toBeVisible();
  await expect(client.getByText(/works until/)).toBeVisible();
  await expect(client.locator('main')).not.toContainText(/ssh|git|deploy/i);
  await visit(client, 'handover-10-client-offer', testInfo);
  keepForDocs('handover-10-client-offer-desktop.png', 'handover-offer.png');

  // Who are you: a new account with the invited address (fixed).
  await client.getByRole('button', { name: 'Continue to accept' }).click();
  await expect(client.getByRole('heading', { level: 1, name: 'Your account' })).toBeFocused();
  await expect(client.getByLabel('E-mail address')).toHaveValue(clientEmail);
  await expect(client.getByLabel('E-mail address')).toHaveAttribute('readonly', '');
  await expect(client.getByLabel('First name')).toHaveValue('Clara');
  await client.getByLabel('Choose a password', { exact: true }).fill('short');
  await client.getByRole('button', { name: 'Create account and continue' }).click();
  await expect(client.getByLabel('Choose a password', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await visit(client, 'handover-11-client-account', testInfo);
  await client.getByLabel('Choose a password', { exact: true }).fill(newPassword());
  await client.getByRole('button', { name: 'Create account and continue' }).click();

  // Billing: a new company; a declined card changes nothing and can be replaced.
  await expect(client.getByRole('heading', { level: 1, name: 'Who pays for it?' })).toBeFocused();
  await expect(client.getByLabel('E-mail for invoices')).toHaveValue(clientEmail);
  await visit(client, 'handover-12-client-billing', testInfo);
  await fillNewCompany(client, { company: companyName, card: '4000 0000 0000 0002' });
  await client.getByRole('button', { name: /^Accept and pay €[\d.,]+ a month$/ }).click();
  await expect(client.getByRole('alert').filter({ hasText: 'Your card was declined' })).toContainText('Nothing has changed');
  await expect(client.getByLabel('Card number')).toBeFocused();
  await visit(client, 'handover-13-client-card-declined', testInfo);
  await client.getByLabel('Card number').fill('4242 4242 4242 4242');
  await client.getByRole('button', { name: /^Accept and pay €[\d.,]+ a month$/ }).click();

  // Done: what was agreed, as the mail repeats it (issue 17).
  await expect(client.getByRole('heading', { level: 1, name: `You own ${appName}` })).toBeVisible();
  await expect(client.getByRole('heading', { name: 'What you agreed to' })).toBeVisible();
  await expect(client.locator('.facts')).toContainText(/€[\d.,]+ plus 19 % VAT \(€[\d.,]+\) = €[\d.,]+ a month/);
  await expect(client.locator('.facts')).toContainText('visa ending in 4242');
  await expect(client.getByRole('link', { name: 'See billing and invoices' })).toHaveAttribute('href', /\?tab=billing$/);
  await expect(client.getByText(`Dana Developer is admin of ${companyName}.`)).toBeVisible();
  await expect(client.getByText(/find Dana Developer under Members and remove them/)).toBeVisible();
  await expect(nav(client).getByRole('link', { name: 'SSH keys' })).toHaveCount(0);
  await visit(client, 'handover-14-client-done', testInfo);
  keepForDocs('handover-14-client-done-desktop.png', 'handover-done.png');
  await waitForMail(client.request, clientEmail, (m) => m.subject.includes(`You now own "${appName}"`), seen);

  // The client's Company: owner, full billing view with the card's last four digits.
  await client.getByRole('link', { name: `Go to ${companyName}` }).click();
  await expect(client.getByRole('heading', { level: 1, name: companyName })).toBeVisible();
  await expect(client.getByRole('list', { name: 'Billing contacts' })).toContainText('ending in 4242');
  await expect(client.getByRole('list', { name: 'Apps of this Company' })).toContainText(appName);
  await expect(nav(client).getByRole('link', { name: 'SSH keys' })).toHaveCount(0);
  await visit(client, 'handover-15-client-company', testInfo);
  expect(jargonIn(await client.locator('main').innerText())).toEqual([]);

  // The client's App page (issue 17): the website as an owner sees it, cost with VAT, who works
  // on it; the developer's settings only behind "Technical settings", environment values nowhere.
  await client.getByRole('list', { name: 'Apps of this Company' }).getByRole('link', { name: appName }).click();
  await expect(client.getByRole('heading', { level: 1, name: appName })).toBeVisible();
  await expect(client.locator('main')).toContainText(/€[\d.,]+ plus 19 % VAT \(€[\d.,]+\) = €[\d.,]+ a month/);
  await expect(client.getByRole('list', { name: 'Who works on it' })).toContainText('Dana Developer · Admin');
  await expect(client.getByRole('heading', { name: 'Environment variables' })).toHaveCount(0);
  expect(jargonIn(await client.locator('main').innerText())).toEqual([]);
  await visit(client, 'handover-16-client-app', testInfo);
  await client.getByText('Technical settings').click();
  await expect(client.getByText(/These settings are for your developer/)).toBeVisible();
  await expect(client.locator('main')).not.toContainText('Environment variables');
  await client.goBack();

  // The developer is admin now: the App belongs to the client's Company and can be scaled.
  await dev.reload();
  await expect(dev.getByText(`Belongs to ${companyName}`)).toBeVisible();
  await expect(dev.locator('.facts')).toContainText('Admin');
  await expect(dev.getByRole('region', { name: 'Hand over to a client' })).toHaveCount(0);
  await dev.getByLabel('Database').selectOption('db-m');
  await dev.getByRole('button', { name: 'Change plan' }).click();
  await expect(dev.getByText('The new plan is active.')).toBeVisible();
  await visit(dev, 'handover-04-dev-app-as-admin', testInfo);

  // The developer's view of the client's Company: billing contact names only, no card anywhere.
  await dev.getByRole('link', { name: companyName }).first().click();
  await expect(dev.getByRole('heading', { level: 1, name: companyName })).toBeVisible();
  await expect(dev.getByText('Your role:')).toContainText('Admin');
  await expect(dev.getByRole('list', { name: 'Billing contacts' })).toContainText('Bäckerei Brot GmbH');
  await expect(dev.locator('body')).not.toContainText('4242');
  await expect(dev.locator('body')).not.toContainText(/ending in|visa|mastercard|Hauptstraße/i);
  await visit(dev, 'handover-05-dev-company-as-admin', testInfo);
  const companyId = new URL(dev.url()).pathname.split('/').pop()!;

  // A second App for the same client: they pick the Company they own and consent to what the admin sees.
  const secondApp = `shop-${stamp()}`;
  await createTrialApp(dev, secondApp);
  await sendHandover(dev, { email: clientEmail });
  await client.goto(await invitationPath(dev.request, clientEmail, seen));
  await client.getByRole('button', { name: 'Continue to accept' }).click();
  await expect(client.getByRole('heading', { level: 1, name: 'Who pays for it?' })).toBeVisible();
  await client.getByRole('radio', { name: companyName }).check();
  await visit(client, 'handover-16-client-billing-choice', testInfo);
  await client.getByRole('button', { name: 'Continue' }).click();
  await expect(client.getByRole('heading', { level: 1, name: `Give Dana Developer access to ${companyName}?` })).toBeFocused();
  const seenByAdmin = client.getByRole('list', { name: `Websites of ${companyName}` });
  await expect(seenByAdmin).toContainText(appName);
  await expect(seenByAdmin).toContainText(secondApp);
  await client.getByRole('button', { name: `Agree and take over ${secondApp}` }).click();
  await expect(client.getByText('Tick the box to agree')).toBeVisible();
  await visit(client, 'handover-17-client-consent', testInfo);
  await client.getByText(`I agree that Dana Developer becomes admin of ${companyName}`).click();
  await client.getByRole('button', { name: `Agree and take over ${secondApp}` }).click();
  await expect(client.getByRole('heading', { level: 1, name: `You own ${secondApp}` })).toBeVisible();

  // A team invitation on the same page: the admin invites a colleague, who signs in and joins.
  const colleagueEmail = uniqueEmail('colleague');
  const colleaguePassword = newPassword();
  const colleagueContext = await browser.newContext();
  const colleague = await colleagueContext.newPage();
  await signUpAndVerify(colleague, { email: colleagueEmail, password: colleaguePassword, first: 'Cody', last: 'Colleague' });
  await colleagueContext.clearCookies();
  await inviteToCompany(dev, companyId, { email: colleagueEmail, role: 'collaborator', appNames: [appName] });
  await colleague.goto(await invitationPath(dev.request, colleagueEmail, seen));
  await expect(colleague.getByRole('heading', { level: 1, name: `Dana Developer invites you to join ${companyName}` })).toBeVisible();
  await expect(colleague.getByRole('region', { name: 'Websites you will work on' })).toContainText(appName);
  await visit(colleague, 'handover-30-team-invitation', testInfo);
  await colleague.getByRole('radio', { name: 'I already have an account' }).check();
  await colleague.getByLabel('Password', { exact: true }).fill(colleaguePassword);
  await colleague.getByRole('button', { name: 'Sign in and continue' }).click();
  await colleague.getByRole('button', { name: `Join ${companyName}` }).click();
  await expect(colleague.getByRole('heading', { level: 1, name: companyName })).toBeVisible();
  await expect(colleague.getByText(`You joined ${companyName} as collaborator.`)).toBeVisible();
  await visit(colleague, 'handover-31-team-joined', testInfo);

  await colleagueContext.close();
  await devContext.close();
  await clientContext.close();
});

test('a resent, revoked or declined link says so plainly and lets the client ask for a new invitation; a wrong account is told', async ({ browser }, testInfo) => {
  const devContext = await browser.newContext();
  const clientContext = await browser.newContext();
  const dev = await devContext.newPage();
  const client = await clientContext.newPage();
  const seen = new Set<string>();
  const devEmail = uniqueEmail('dev');
  const clientEmail = uniqueEmail('client');
  const appName = `shop-${stamp()}`;

  await signUpAndVerify(dev, { email: devEmail, password: newPassword(), first: 'Dana', last: 'Developer' });
  await createTrialApp(dev, appName);

  // Keyboard only: the dialog opens from the keyboard, Escape closes it and focus returns to the button.
  const trigger = dev.getByRole('button', { name: 'Hand over to client' });
  await trigger.focus();
  await dev.keyboard.press('Enter');
  await expect(dev.getByRole('dialog').getByLabel('Client’s e-mail address')).toBeFocused();
  await dev.keyboard.press('Escape');
  await expect(dev.getByRole('dialog')).toBeHidden();
  await expect(trigger).toBeFocused();

  // Without a last name the client would not know who invites them: the dialog links to the profile.
  const setLastName = (lastName: string) => dev.evaluate(async (value) => (await fetch('/api/v1/me', {
    method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lastName: value }),
  })).status, lastName);
  expect(await setLastName('')).toBe(200);
  await trigger.click();
  await dev.getByRole('dialog').getByLabel('Client’s e-mail address').fill(clientEmail);
  await dev.getByRole('dialog').getByRole('button', { name: 'Send invitation' }).click();
  await expect(dev.getByRole('dialog').getByRole('alert')).toContainText('first and last name');
  await expect(dev.getByRole('dialog').getByRole('link', { name: 'Open your profile' })).toHaveAttribute('href', '/profile');
  await visitDialog(dev, 'handover-08-dev-dialog-name-required', testInfo);
  await dev.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  expect(await setLastName('Developer')).toBe(200);

  await sendHandover(dev, { email: clientEmail });
  const first = await invitationPath(dev.request, clientEmail, seen);

  // One open invitation per App: a second one is refused inside the dialog.
  await dev.getByRole('button', { name: 'Hand over to client' }).click();
  await dev.getByRole('dialog').getByLabel('Client’s e-mail address').fill(uniqueEmail('other'));
  await dev.getByRole('dialog').getByRole('button', { name: 'Send invitation' }).click();
  await expect(dev.getByRole('dialog').getByRole('alert')).toContainText('already has an open invitation');
  await visitDialog(dev, 'handover-08b-dev-dialog-pending-exists', testInfo);
  await dev.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

  // Resend: a new link; the first one stops working (an unknown link names nobody).
  await dev.getByRole('button', { name: `Resend the invitation to ${clientEmail}` }).click();
  await expect(dev.getByText(`A new link was sent to ${clientEmail}`)).toBeVisible();
  const second = await invitationPath(dev.request, clientEmail, seen);
  await client.goto(first);
  await expect(client.getByRole('heading', { level: 1, name: 'This invitation link does not work' })).toBeVisible();
  await visit(client, 'handover-20-client-link-unknown', testInfo);

  // The signed-in developer opening the client's link is told they are the wrong person.
  await dev.goto(second);
  await dev.getByRole('button', { name: 'Continue to accept' }).click();
  await expect(dev.getByRole('alert').filter({ hasText: 'You are signed in with a different e-mail address' })).toContainText(devEmail);
  await visit(dev, 'handover-06-wrong-account', testInfo);

  // Revoke with confirmation; the client's link then says so and offers a new invitation.
  const devApp = await devContext.newPage();
  await devApp.goto(`/apps/${appName}`);
  await devApp.getByRole('button', { name: `Revoke the invitation to ${clientEmail}` }).click();
  const confirm = devApp.getByRole('alertdialog');
  await expect(confirm).toContainText('stops working at once');
  await visitDialog(devApp, 'handover-09-dev-revoke-confirm', testInfo);
  await confirm.getByRole('button', { name: 'Revoke invitation' }).click();
  await expect(devApp.getByText(`The invitation to ${clientEmail} is revoked.`)).toBeVisible();
  await expect(devApp.getByRole('list', { name: 'Client invitations' })).toContainText('Revoked');
  await visit(devApp, 'handover-07-dev-revoked', testInfo);

  await client.goto(second);
  await expect(client.getByRole('heading', { level: 1, name: 'This invitation was withdrawn' })).toBeVisible();
  await expect(client.getByText(`Dana Developer invited you to take over ${appName}`)).toBeVisible();
  await visit(client, 'handover-21-client-link-revoked', testInfo);
  await client.getByRole('button', { name: 'Ask for a new invitation' }).click();
  await expect(client.getByText('We have asked Dana Developer to send you a new invitation.')).toBeVisible();
  await waitForMail(dev.request, devEmail, (m) => m.subject.includes('asks for a new invitation'), seen);
  await visit(client, 'handover-22-client-new-requested', testInfo);

  // A fresh invitation, declined by the client.
  await devApp.reload();
  await sendHandover(devApp, { email: clientEmail });
  await client.goto(await invitationPath(dev.request, clientEmail, seen));
  await client.getByRole('button', { name: 'Decline' }).click();
  await client.getByRole('alertdialog').getByRole('button', { name: 'Decline' }).click();
  await expect(client.getByRole('heading', { level: 1, name: 'You declined the invitation' })).toBeVisible();
  await expect(client.getByRole('button', { name: 'Ask for a new invitation' })).toBeVisible();
  await visit(client, 'handover-23-client-declined', testInfo);
  await waitForMail(dev.request, devEmail, (m) => m.subject.includes('declined your invitation'), seen);

  await devContext.close();
  await clientContext.close();
});
