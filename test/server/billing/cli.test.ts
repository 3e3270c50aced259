import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Issue 12: `npm run billing -- run --month …` refuses a month that is not over with a clear
 * sentence before it prints anything else or opens the database (scripts/billing.ts, spawned).
 */
const ROOT = path.resolve(import.meta.dirname, '../../..');
const SPAWNING = { timeout: 120_000 };
const temp = mkdtempSync(path.join(os.tmpdir(), 'dash-billing-cli-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

interface Run { code: number | null; stdout: string; stderr: string }

function billing(args: string[], dataDir: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/billing.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? temp, LOG_LEVEL: 'error', AUTH_SECRET: randomBytes(32).toString('hex'), DATA_DIR: dataDir },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

const month = (offset: number) => {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
  return d.toISOString().slice(0, 7);
};

describe('npm run billing -- run (issue 12)', SPAWNING, () => {
  it('refuses the current and a future month with one sentence, before "Invoicing…" and before opening the database', async () => {
    for (const m of [month(0), month(1)]) {
      const dataDir = path.join(temp, `refused-${m}`);
      const result = await billing(['run', '--month', m], dataDir);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim()).toMatch(new RegExp(`^Refused: ${m} is not over yet \\(today is \\d{4}-\\d{2}-\\d{2} UTC\\); a month can be invoiced from the 1st of the next month on\\.$`));
      expect(result.stderr).not.toMatch(/Invoicing|\n\s+at .+:\d+:\d+/);
      expect(existsSync(path.join(dataDir, 'pglite'))).toBe(false);
    }
    const bad = await billing(['run', '--month', '2026-13'], path.join(temp, 'bad'));
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('Refused: "2026-13" is not a month; write it as YYYY-MM, such as 2026-11.');
  });

  it('runs a month that is over: "Invoicing…" first, then the summary', async () => {
    const result = await billing(['run', '--month', month(-1)], path.join(temp, 'past'));
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^Invoicing ${month(-1)} \\(seller .+, numbers INV-YYYY-NNNNNN\\)…$`));
    expect(lines).toContain(`Done: ${month(-1)}.`);
    expect(lines).toContain('  Invoices issued now: 0');
  });
});
