import os from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';

/**
 * End-to-end suite: builds the web app, starts the real server on a fresh embedded database
 * (a temporary DATA_DIR, emptied on every run) without SMTP, so mails land in the dev mailbox.
 * Set E2E_BASE_URL to run against a server you started yourself instead. The suite writes
 * only to E2E_RESULTS (default test-results/); `npm run screenshots` refreshes docs/screenshots.
 */
const port = Number(process.env.E2E_PORT ?? 3999);
const external = process.env.E2E_BASE_URL;
const baseURL = external ?? `http://localhost:${port}`;
const dataDir = path.join(os.tmpdir(), `dashboard-e2e-${port}`);
/** Several people may run the suite in one working tree: E2E_RESULTS keeps runs apart. */
const results = process.env.E2E_RESULTS ?? 'test-results';

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: path.join(results, 'artifacts'),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 600_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: path.join(results, 'report') }]],
  use: {
    baseURL,
    // A click or fill that cannot happen fails within a minute instead of waiting out the test's 10 minutes.
    actionTimeout: 60_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 900 } } }],
  webServer: external ? undefined : {
    // The server builds the web app itself when its sources changed since the last build.
    command: `rm -rf '${dataDir}' && npx tsx src/server/main.ts`,
    url: `${baseURL}/readyz`,
    reuseExistingServer: false,
    timeout: 240_000,
    stdout: 'ignore',
    stderr: 'pipe',
    // The git SSH server too, on a port of its own per run (E2E_SSH_PORT), never the default 2222.
    env: { PORT: String(port), SSH_PORT: process.env.E2E_SSH_PORT ?? String(port + 10_000), DATA_DIR: dataDir, PUBLIC_URL: baseURL, SMTP_URL: '', LOG_LEVEL: 'warn',
      // Domain verification asks the DNS fake that test/e2e/domains.spec.ts starts on this port.
      DNS_RESOLVER: `127.0.0.1:${port + 20_000}` },
  },
});
