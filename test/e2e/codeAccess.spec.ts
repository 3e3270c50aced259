import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { newPassword, SCREENSHOT_DIR, signUpAndVerify, uniqueEmail, visit } from './helpers';

/**
 * A key pair on disk and one push with the real git and ssh clients, so the panel shows a
 * deployment. The known_hosts line is the fingerprint the API shows, checked by ssh itself.
 */
function pushOnce(cloneUrl: string, fingerprint: string): { publicKey: string; push: () => string; done: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'e2e-git-'));
  const key = path.join(dir, 'id_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'dana@laptop', '-f', key], { stdio: 'ignore' });
  const url = new URL(cloneUrl);
  return {
    publicKey: readFileSync(`${key}.pub`, 'utf8').trim(),
    push() {
      // Learn the host key, and go on only if it is the one the Dashboard shows.
      const scanned = execFileSync('ssh-keyscan', ['-p', url.port, '-t', 'ed25519', url.hostname], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      writeFileSync(path.join(dir, 'known_hosts'), scanned);
      const seen = execFileSync('ssh-keygen', ['-l', '-f', path.join(dir, 'known_hosts')], { encoding: 'utf8' }).split(' ')[1];
      expect(seen).toBe(fingerprint);
      const env = {
        PATH: process.env.PATH, HOME: dir, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'Dana Developer', GIT_AUTHOR_EMAIL: 'dana@example.com',
        GIT_COMMITTER_NAME: 'Dana Developer', GIT_COMMITTER_EMAIL: 'dana@example.com',
        GIT_SSH_COMMAND: `ssh -F /dev/null -i '${key}' -o IdentitiesOnly=yes -o IdentityAgent=none -o UserKnownHostsFile='${path.join(dir, 'known_hosts')}' -o StrictHostKeyChecking=yes`,
      };
      const work = path.join(dir, 'work');
      execFileSync('git', ['clone', '-q', cloneUrl, work], { env, stdio: 'ignore' });
      writeFileSync(path.join(work, 'index.php'), '<?php echo "Hello";\n');
      execFileSync('git', ['add', 'index.php'], { cwd: work, env });
      execFileSync('git', ['commit', '-q', '-m', 'First page'], { cwd: work, env });
      return execFileSync('git', ['push', '-q', 'origin', 'HEAD:main'], { cwd: work, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    },
    done: () => rmSync(dir, { recursive: true, force: true }),
  };
}

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

  // With a key in the profile, the warning is gone; a push is listed as a deployment.
  const pusher = pushOnce(git.cloneUrl, git.hostKeyFingerprint);
  try {
    const added = await page.request.post('/api/v1/me/ssh-keys', { data: { title: 'Laptop', publicKey: pusher.publicKey }, headers: { origin: baseURL! } });
    expect(added.status()).toBe(201);
    pusher.push();
  } finally {
    pusher.done();
  }
  await page.reload();
  await expect(panel.getByText(`git clone ${git.cloneUrl}`)).toBeVisible();
  await expect(panel.getByText('Add your SSH key first')).toHaveCount(0);
  await expect(panel.getByRole('table').getByRole('cell', { name: 'Dana Developer' })).toBeVisible();
  await visit(page, '61-code-access', testInfo);

  // In German too (picked with the footer's switch, kept on the Account: ADR 0070), on a 390 px phone.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByLabel('Language').selectOption('de');
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await page.reload();
  const german = page.getByRole('region', { name: 'Code-Zugang' });
  await expect(german.getByRole('heading', { name: 'Das Repository klonen' })).toBeVisible();
  await expect(german.getByRole('columnheader', { name: 'Gepusht von' })).toBeVisible();
  await expect(german.getByRole('button', { name: 'Den Befehl zum Klonen kopieren' })).toBeVisible();
  await visit(page, '62-code-access-de', testInfo);
  await page.setViewportSize({ width: 390, height: 844 });
  await german.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, '62-code-access-de-390.png'), fullPage: true });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
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
