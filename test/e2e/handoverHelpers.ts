import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, type APIRequestContext, type Page, type TestInfo } from '@playwright/test';
import { checkA11y, DESKTOP, linkIn, pathOf, PHONE, SCREENSHOT_DIR, waitForMail } from './helpers';

/** Creates a trial App through the UI and stays on its page. */
export async function createTrialApp(page: Page, name: string) {
  await page.goto('/apps/new');
  await page.getByLabel('App name').fill(name);
  await page.getByRole('button', { name: 'Create trial App' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

/** Fills and sends the "Hand over to client" dialog on the App page. */
export async function sendHandover(page: Page, opts: { email: string; name?: string; message?: string }) {
  await page.getByRole('button', { name: 'Hand over to client' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Client’s e-mail address').fill(opts.email);
  if (opts.name) await dialog.getByLabel('Client’s name').fill(opts.name);
  if (opts.message) await dialog.getByLabel('Personal message').fill(opts.message);
  await dialog.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByText(`Invitation sent to ${opts.email}`)).toBeVisible();
}

/** The newest invitation link mailed to `to` (as a path on the test's own base URL). */
export async function invitationPath(request: APIRequestContext, to: string, seen: Set<string>): Promise<string> {
  const mail = await waitForMail(request, to, (m) => m.text.includes('/invite/'), seen);
  return pathOf(linkIn(mail, '/invite/'));
}

export async function fillNewCompany(page: Page, opts: { company: string; card: string }) {
  await page.getByLabel('Company name').fill(opts.company);
  await page.getByLabel('Name on invoices').fill('Bäckerei Brot GmbH');
  await page.getByLabel('Street and number').fill('Hauptstraße 1');
  await page.getByLabel('Postal code').fill('10115');
  await page.getByLabel('City').fill('Berlin');
  await page.getByLabel('Country').selectOption('DE');
  await page.getByLabel('Card number').fill(opts.card);
  await page.getByLabel('Expiry date').fill('12/34');
  await page.getByLabel('Security code (CVC)').fill('123');
}

/**
 * With UPDATE_DOCS_SCREENSHOTS=1 (`npm run screenshots`), copies a screenshot that `visit`
 * took into docs/screenshots (committed, for the README). Otherwise it does nothing: the
 * suite writes only to ignored folders (issue 18).
 */
export function keepForDocs(shot: string, as: string) {
  if (process.env.UPDATE_DOCS_SCREENSHOTS !== '1') return;
  mkdirSync(path.join('docs', 'screenshots'), { recursive: true });
  copyFileSync(path.join(SCREENSHOT_DIR, shot), path.join('docs', 'screenshots', as));
}

/**
 * Like `visit`, for an open modal dialog: axe and a screenshot of the viewport (a full-page
 * shot would show the page under the overlay) at desktop and at 375 px.
 */
export async function visitDialog(page: Page, name: string, testInfo: TestInfo) {
  await expect(page.getByRole('dialog').or(page.getByRole('alertdialog')).first()).toBeVisible();
  const original = page.viewportSize() ?? DESKTOP;
  for (const [label, size] of [['desktop', original], ['375', PHONE]] as const) {
    await page.setViewportSize(size);
    await page.waitForTimeout(100);
    await checkA11y(page, `${name} (${label})`);
    const file = path.join(SCREENSHOT_DIR, `${name}-${label}.png`);
    await page.screenshot({ path: file });
    await testInfo.attach(`${name}-${label}`, { path: file, contentType: 'image/png' });
  }
  await page.setViewportSize(original);
}

/** Invites someone to a Company through the API from a signed-in page (same-origin fetch, so the Origin check passes). */
export async function inviteToCompany(page: Page, companyId: string, body: { email: string; role: string; appNames?: string[] }) {
  const status = await page.evaluate(async ([id, payload]) => {
    const response = await fetch(`/api/v1/companies/${encodeURIComponent(id)}/invitations`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload),
    });
    return response.status;
  }, [companyId, body] as const);
  expect(status).toBe(201);
}
