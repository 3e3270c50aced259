import { expect, test, type Page } from '@playwright/test';
import { makeSshKey, newPassword, signUpAndVerify, uniqueEmail, visit } from './helpers';

/** Issue 13: the Code access panel on the App page, for developers only. */
async function createTrial(page: Page, baseURL: string): Promise<string> {
  const name = `code-${Date.now().toString(36)}`;
  const res = await page.request.post('/api/v1/apps', { data: { name, region: 'eu1', trial: true }, headers: { origin: baseURL } });
  expect(res.status(), await res.text()).toBe(201);
  return name;
}

test('a developer sees how to clone the App, the server fingerprint and how to deploy', async ({ page, baseURL }, testInfo) => {
  await signUpAndVerify(page, { email: uniqueEmail('code'), password: newPassword(), first: 'Dana', last: 'Developer' });
  const app = await createTrial(page, baseURL!);
  const git = await (await page.request.get(`/api/v1/apps/${app}/git`)).json() as { cloneUrl: string; hostKeyFingerprint: string };
  expect(git.cloneUrl).toMatch(new RegExp(`^ssh://git@localhost:\\d+/${app}\\.git$`));

  await page.goto(`/apps/${app}`);
  const panel = page.getByRole('region', { name: 'Code access' });
  await expect(panel.getByRole('heading', { name: 'Code access' })).toBeVisible();
  await expect(panel.getByText('Add your SSH key first')).toBeVisible();
  await expect(panel.getByRole('link', { name: 'Add your SSH key' })).toHaveAttribute('href', '/ssh-keys');
  await expect(panel.getByText(`git clone ${git.cloneUrl}`)).toBeVisible();
  await expect(panel.getByText(git.hostKeyFingerprint)).toBeVisible();
  await expect(panel.getByText('No deployments yet')).toBeVisible();
  await expect(panel.getByText('git push origin HEAD:main')).toBeVisible();
  await visit(page, '60-code-access-no-key', testInfo);

  await panel.getByRole('button', { name: 'Copy the clone command' }).click();
  await expect(panel.getByRole('status').filter({ hasText: /Copied|Selected/ })).toBeVisible();

  // With a key in the profile, the warning is gone.
  const key = makeSshKey();
  const added = await page.request.post('/api/v1/me/ssh-keys', { data: { title: 'Laptop', publicKey: key.publicKey }, headers: { origin: baseURL! } });
  expect(added.status()).toBe(201);
  await page.reload();
  await expect(panel.getByText(`git clone ${git.cloneUrl}`)).toBeVisible();
  await expect(panel.getByText('Add your SSH key first')).toHaveCount(0);
  await visit(page, '61-code-access', testInfo);
});

test('a client Account is not shown the Code access panel', async ({ page, baseURL }) => {
  await signUpAndVerify(page, { email: uniqueEmail('client'), password: newPassword(), first: 'Carla', last: 'Client', client: true });
  const app = await createTrial(page, baseURL!);
  await page.goto(`/apps/${app}`);
  await expect(page.getByRole('heading', { level: 1, name: app })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Code access' })).toHaveCount(0);
  await expect(page.getByText('git clone')).toHaveCount(0);
});
