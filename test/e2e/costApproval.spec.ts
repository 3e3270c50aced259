import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { newPassword, signUpAndVerify, uniqueEmail, visit, waitForMail } from './helpers';
import { createTrialApp, fillNewCompany, invitationPath, sendHandover } from './handoverHelpers';

/**
 * Issue 17 (SPEC 4.12), told by a client (owner after the handover) and their developer
 * (admin): the developer's dearer plan is mailed to the client with the prices; the client
 * switches on "Ask me before the monthly cost goes up"; the developer's next raise waits as
 * a request, which the client approves on the Company page; the developer is mailed.
 */
const stamp = () => Date.now().toString(36);
const seen = new Set<string>();
const devEmail = uniqueEmail('dev');
const clientEmail = uniqueEmail('client');
const appName = `cost-${stamp()}`;
const companyName = `Bäckerei Kosten ${stamp()}`;
let devContext: BrowserContext;
let clientContext: BrowserContext;
let dev: Page;
let client: Page;
let companyPath = '';

async function handOver(browser: Browser) {
  devContext = await browser.newContext();
  clientContext = await browser.newContext();
  dev = await devContext.newPage();
  client = await clientContext.newPage();
  await signUpAndVerify(dev, { email: devEmail, password: newPassword(), first: 'Dana', last: 'Developer' });
  await createTrialApp(dev, appName);
  await sendHandover(dev, { email: clientEmail, name: 'Clara Client' });
  await client.goto(await invitationPath(dev.request, clientEmail, seen));
  await client.getByRole('button', { name: 'Continue to accept' }).click();
  await client.getByLabel('Choose a password', { exact: true }).fill(newPassword());
  await client.getByRole('button', { name: 'Create account and continue' }).click();
  await fillNewCompany(client, { company: companyName, card: '4242 4242 4242 4242' });
  await client.getByRole('button', { name: new RegExp(`^Accept and`) }).click();
  await client.getByRole('link', { name: `Go to ${companyName}` }).click();
  await expect(client.getByRole('heading', { level: 1, name: companyName })).toBeVisible();
  companyPath = new URL(client.url()).pathname;
}

test.describe.serial('cost changes the owner hears about', () => {
  test.use({ actionTimeout: 15_000 });
  test.beforeAll(async ({ browser }) => { await handOver(browser); });
  test.afterAll(async () => { await devContext?.close(); await clientContext?.close(); });

  // eslint-disable-next-line no-empty-pattern -- the story uses the shared sessions, not the page fixture
  test("an admin's dearer plan is mailed to the owner with prices; with approval switched on it waits until the owner approves", async ({}, testInfo) => {
    // 1. The developer scales up: the change is made, the client is mailed with the amounts.
    await dev.goto(`/apps/${appName}`);
    await dev.getByLabel('Database').selectOption('db-l');
    await dev.getByRole('button', { name: 'Change plan' }).click();
    await expect(dev.getByText('The new plan is active.')).toBeVisible();
    const raised = await waitForMail(dev.request, clientEmail, (m) => m.subject === `The monthly cost of "${appName}" went up`, seen);
    expect(raised.text).toContain(`Dana Developer changed the plan of "${appName}" in "${companyName}".`);
    expect(raised.text).toMatch(/now: €\d+\.\d\d excluding VAT, €\d+\.\d\d including VAT\./);

    // 2. The client asks to be asked first.
    await client.goto(companyPath);
    await client.getByRole('switch', { name: 'Ask me before the monthly cost goes up' }).focus();
    await client.keyboard.press('Space');
    await expect(client.getByText('From now on, admins\' changes that raise the monthly cost wait for an owner\'s approval.')).toBeVisible();

    // 3. The developer's next raise waits for the owner.
    await dev.goto(`/apps/${appName}`);
    await dev.getByLabel('Storage').selectOption('storage-50');
    await dev.getByRole('button', { name: 'Change plan' }).click();
    await expect(dev.getByText('Sent to the owner for approval.')).toBeVisible();
    await expect(dev.getByLabel('Storage')).toHaveValue('storage-10');
    await dev.goto(companyPath);
    const own = dev.getByRole('region', { name: 'Your requests waiting for approval' });
    await expect(own.getByRole('listitem')).toContainText(`Change the plan of ${appName}`);
    await expect(own.getByRole('button', { name: /Approve/ })).toHaveCount(0);
    await visit(dev, 'cost-01-admin-pending', testInfo);
    const asked = await waitForMail(dev.request, clientEmail, (m) => m.subject.includes('asks you to approve'), seen);
    expect(asked.text).toContain('Nothing changes until an owner approves.');

    // 4. The client approves, with the amounts in front of them.
    await client.goto(companyPath);
    const requests = client.getByRole('region', { name: 'Requests to raise the monthly cost' });
    const item = requests.getByRole('listitem').filter({ hasText: appName });
    await expect(item).toContainText('including VAT');
    await visit(client, 'cost-02-owner-request', testInfo);
    await item.getByRole('button', { name: `Approve: Change the plan of ${appName}` }).click();
    await expect(client.getByText('Approved: the change is made.')).toBeVisible();
    await expect(requests.getByText('No requests are waiting.')).toBeVisible();
    const outcome = await waitForMail(dev.request, devEmail, (m) => m.subject === `Approved: your change to "${appName}"`, seen);
    expect(outcome.text).toContain('Clara Client approved your request');
    await dev.goto(`/apps/${appName}`);
    await expect(dev.getByLabel('Storage')).toHaveValue('storage-50');
  });
});
