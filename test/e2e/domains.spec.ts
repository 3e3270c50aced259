import { expect, test } from '@playwright/test';
import { startDnsFake, type DnsFake } from '../harness/dnsFake';
import { newPassword, signUpAndVerify, uniqueEmail, visit } from './helpers';

/**
 * Issue 17 (SPEC 4.13): the "Web address and domains" panel on the App page. The server asks
 * DNS_RESOLVER (playwright.config.ts: 127.0.0.1:<port + 20000>); this spec answers there.
 * Needs `<DomainsPanel app={app} />` mounted on the App page (src/web/pages/AppPage.tsx);
 * run with it mounted, it passed on 2 December 2026 (axe and 375 px included).
 */
const dnsPort = Number(process.env.E2E_PORT ?? 3999) + 20_000;
let dns: DnsFake;
test.beforeAll(async () => { dns = await startDnsFake({ port: dnsPort }); });
test.afterAll(async () => { await dns?.close(); });

test('a developer connects a domain: web address, DNS entries, errors, pending, verified, removed', async ({ page, baseURL }, testInfo) => {
  await signUpAndVerify(page, { email: uniqueEmail('domains'), password: newPassword(), first: 'Dana', last: 'Developer' });
  const app = `shop-${Date.now().toString(36)}`;
  const created = await page.request.post('/api/v1/apps', { data: { name: app, region: 'eu1', trial: true }, headers: { origin: baseURL! } });
  expect(created.status(), await created.text()).toBe(201);

  await page.goto(`/apps/${app}`);
  const panel = page.getByRole('region', { name: 'Web address and domains' });
  await expect(panel.getByRole('link', { name: `${app}.apps.localhost (opens in a new tab)` })).toHaveAttribute('href', `https://${app}.apps.localhost`);
  await expect(panel.getByText('No domains yet')).toBeVisible();
  await visit(page, 'domains-empty', testInfo);

  // Refused before sending, in words, on the field.
  const field = panel.getByLabel('Domain', { exact: true });
  await field.fill('https://www.example.com/');
  await panel.getByRole('button', { name: 'Add domain' }).click();
  await expect(panel.getByText('Enter only the domain, such as www.example.com, without https://.').first()).toBeVisible();
  await expect(field).toHaveAttribute('aria-invalid', 'true');

  const hostname = `www.${app}.example.com`;
  await field.fill(hostname.toUpperCase());
  await panel.getByRole('button', { name: 'Add domain' }).click();
  await expect(panel.getByText(`${hostname} was added.`, { exact: false })).toBeVisible();
  await expect(panel.getByRole('heading', { name: hostname })).toBeVisible();
  await expect(panel.getByText('Waiting for verification')).toBeVisible();
  const records = panel.getByRole('table', { name: `Entries for ${hostname}` });
  await expect(records.getByText(`${app}.apps.localhost`)).toBeVisible();
  await expect(records.getByText(`_dashboard-challenge.${hostname}`)).toBeVisible();
  const token = (await records.getByText(/^dashboard-verification=/).textContent())!;
  await expect(panel.getByRole('button', { name: 'Copy the value of the TXT entry' })).toBeVisible();

  // Not there yet: still pending, and the page says so.
  await panel.getByRole('button', { name: `Verify ${hostname}` }).click();
  await expect(panel.getByText(/the verification entry was not found yet/)).toBeVisible();
  await visit(page, 'domains-pending', testInfo);

  // The same name again is refused with words, not a code.
  await field.fill(hostname);
  await panel.getByRole('button', { name: 'Add domain' }).click();
  await expect(panel.getByText(`${hostname} is already on this list.`).first()).toBeVisible();
  await field.fill('');

  dns.setTxt(`_dashboard-challenge.${hostname}`, [token]);
  await panel.getByRole('button', { name: `Verify ${hostname}` }).click();
  await expect(panel.getByText(`${hostname} is verified.`)).toBeVisible();
  await expect(panel.getByText('Verified', { exact: true })).toBeVisible();
  await expect(panel.getByRole('button', { name: `Verify ${hostname}` })).toHaveCount(0);
  await visit(page, 'domains-verified', testInfo);

  await panel.getByRole('button', { name: `Remove ${hostname}` }).click();
  const dialog = page.getByRole('alertdialog', { name: `Remove ${hostname}?` });
  await dialog.getByRole('button', { name: 'Remove domain' }).click();
  await expect(panel.getByText(`${hostname} was removed.`)).toBeVisible();
  await expect(panel.getByText('No domains yet')).toBeVisible();
});

test('German: the panel speaks Sie-Form', async ({ page, baseURL }) => {
  await signUpAndVerify(page, { email: uniqueEmail('domains-de'), password: newPassword(), first: 'Dana', last: 'Developer' });
  const me = await page.request.patch('/api/v1/me', { data: { language: 'de' }, headers: { origin: baseURL! } });
  expect(me.status()).toBe(200);
  const app = `laden-${Date.now().toString(36)}`;
  expect((await page.request.post('/api/v1/apps', { data: { name: app, region: 'eu1', trial: true }, headers: { origin: baseURL! } })).status()).toBe(201);
  await page.goto(`/apps/${app}`);
  const panel = page.getByRole('region', { name: 'Webadresse und Domains' });
  await expect(panel.getByText('Noch keine Domains')).toBeVisible();
  await panel.getByLabel('Domain', { exact: true }).fill('bäckerei-test.de');
  await panel.getByRole('button', { name: 'Domain hinzufügen' }).click();
  await expect(panel.getByRole('heading', { name: 'bäckerei-test.de' })).toBeVisible();
  await expect(panel.getByText('Im DNS: xn--bckerei-test-gcb.de')).toBeVisible();
  await expect(panel.getByText('Wartet auf Prüfung')).toBeVisible();
});
