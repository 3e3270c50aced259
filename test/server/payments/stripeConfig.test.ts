import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/server/config.js';

/** SPEC 4.11: PAYMENT_PROVIDER=stripe with a missing or malformed key stops with a sentence naming it (exit 2, ADR 0023). */
const ROOT = path.resolve(import.meta.dirname, '../../..');
const temp = mkdtempSync(path.join(os.tmpdir(), 'dash-stripe-config-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const base = { AUTH_SECRET: 'x'.repeat(40), DATA_DIR: temp };
const keys = { PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'sk_test_abcdefghij0123', STRIPE_PUBLISHABLE_KEY: 'pk_test_abcdefghij0123', STRIPE_WEBHOOK_SECRET: 'whsec_abcdefghij0123' };
const problems = (env: Record<string, string>) => {
  try {
    loadConfig({ ...base, ...env });
    return '';
  } catch (err) {
    return (err as Error).message;
  }
};

describe('Stripe configuration', () => {
  it('takes the three keys and maps STRIPE_API_BASE to host, port and protocol', () => {
    expect(loadConfig({ ...base, ...keys }).stripe).toEqual({
      secretKey: keys.STRIPE_SECRET_KEY, publishableKey: keys.STRIPE_PUBLISHABLE_KEY, webhookSecret: keys.STRIPE_WEBHOOK_SECRET, apiBase: null,
    });
    expect(loadConfig({ ...base, ...keys, STRIPE_API_BASE: 'http://127.0.0.1:12111' }).stripe?.apiBase).toEqual({ host: '127.0.0.1', port: 12111, protocol: 'http' });
    expect(loadConfig({ ...base, ...keys, STRIPE_API_BASE: 'https://api.stripe.com' }).stripe?.apiBase).toEqual({ host: 'api.stripe.com', port: 443, protocol: 'https' });
    expect(loadConfig({ ...base }).stripe).toBeNull();
  });

  it('names every missing key', () => {
    for (const name of ['STRIPE_SECRET_KEY', 'STRIPE_PUBLISHABLE_KEY', 'STRIPE_WEBHOOK_SECRET']) {
      expect(problems({ ...keys, [name]: '' })).toMatch(new RegExp(`PAYMENT_PROVIDER=stripe needs ${name}`));
    }
  });

  it('names a malformed key, a mix of test and live keys, and a bad API base', () => {
    expect(problems({ ...keys, STRIPE_SECRET_KEY: 'pk_test_abcdefghij0123' })).toMatch(/STRIPE_SECRET_KEY is not a Stripe key of the right kind; it should look like sk_test_/);
    expect(problems({ ...keys, STRIPE_PUBLISHABLE_KEY: 'sk_test_abcdefghij0123' })).toMatch(/STRIPE_PUBLISHABLE_KEY is not/);
    expect(problems({ ...keys, STRIPE_WEBHOOK_SECRET: 'secret' })).toMatch(/STRIPE_WEBHOOK_SECRET is not/);
    expect(problems({ ...keys, STRIPE_PUBLISHABLE_KEY: 'pk_live_abcdefghij0123' })).toMatch(/both be test keys or both be live keys/);
    expect(problems({ ...keys, STRIPE_API_BASE: 'ftp://x' })).toMatch(/STRIPE_API_BASE must start with http:\/\/ or https:\/\//);
    expect(problems({ ...keys, STRIPE_API_BASE: 'http://127.0.0.1:1/v1' })).toMatch(/STRIPE_API_BASE=.* must be only a scheme, host and port/);
  });

  it('the sandbox ignores Stripe keys', () => {
    expect(problems({ STRIPE_SECRET_KEY: 'nonsense' })).toBe('');
  });

  it('npm start with PAYMENT_PROVIDER=stripe and a missing key exits 2 with the sentence, no stack trace', { timeout: 120_000 }, async () => {
    const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: temp, SKIP_WEB_BUILD: '1', LOG_FORMAT: 'json', LOG_LEVEL: 'warn', ...base, ...keys, STRIPE_WEBHOOK_SECRET: '' },
      });
      let output = '';
      child.stdout.on('data', (d) => { output += d; });
      child.stderr.on('data', (d) => { output += d; });
      const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
      child.on('close', (code) => { clearTimeout(timer); resolve({ code, output }); });
    });
    expect(result.code, result.output).toBe(2);
    expect(result.output).toMatch(/PAYMENT_PROVIDER=stripe needs STRIPE_WEBHOOK_SECRET/);
    expect(result.output).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });
});
