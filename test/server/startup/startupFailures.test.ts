import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { withDatabase } from '../../harness/dbUrl.js';
import { onPostgres } from '../../harness/testDb.js';

/**
 * Issue 18: every configuration refusal and start-up failure is a sentence naming what to
 * change, with its own exit code, and no stack trace. Each case spawns the real entry point
 * (without the web build; the checks come before the database where they can).
 */
const ROOT = path.resolve(import.meta.dirname, '../../..');
/** Each process starts in about 2 s on a quiet machine; far longer on a loaded one. */
const SPAWNING = { timeout: 120_000 };
const temp = mkdtempSync(path.join(os.tmpdir(), 'dash-startup-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

let dirs = 0;
const freshDir = () => path.join(temp, `data-${++dirs}`);

interface Run { code: number | null; output: string }

function run(script: string, env: Record<string, string>, args: string[] = []): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? temp,
        SKIP_WEB_BUILD: '1', LOG_FORMAT: 'json', LOG_LEVEL: 'warn', AUTH_SECRET: 'x'.repeat(40), DATA_DIR: freshDir(),
        ...env,
      },
    });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, output }); });
  });
}
const server = (env: Record<string, string>) => run('src/server/main.ts', env);

function expectSentence(result: Run, code: number, ...patterns: RegExp[]) {
  expect(result.code, result.output).toBe(code);
  for (const p of patterns) expect(result.output).toMatch(p);
  expect(result.output).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('configuration refusals (exit 2, the variable named)', SPAWNING, () => {
  it('reports every bad value at once, each naming its variable', async () => {
    const result = await server({
      LOG_LEVEL: 'verbose', LOG_FORMAT: 'xml', MAIL_FROM: 'bogus', PORT: '0', HOST: 'not a host!', TRUST_PROXY: 'yes',
      SKIP_WEB_BUILD: 'yes', CLIENT_INVITATION_TTL: '3 days', TEAM_INVITATION_TTL: '0d', TRIAL_PERIOD: 'soon',
      PUBLIC_URL: 'ftp://example.com', SMTP_URL: 'nope', DATABASE_URL: 'mysql://x', PAYMENT_PROVIDER: 'paypal',
    });
    expectSentence(result, 2, /^Configuration errors:/m,
      /LOG_LEVEL="verbose" is not a log level; use one of fatal, error, warn, info, debug, trace, silent/,
      /LOG_FORMAT="xml" is not a log format/, /MAIL_FROM="bogus" is not a sender address/,
      /PORT=0 would listen on a random port/, /HOST="not a host!" is not an address/, /TRUST_PROXY="yes"/,
      /SKIP_WEB_BUILD="yes"/, /CLIENT_INVITATION_TTL="3 days" is not a duration/, /TEAM_INVITATION_TTL="0d"/,
      /TRIAL_PERIOD="soon"/, /PUBLIC_URL must start with http:\/\/ or https:\/\//, /SMTP_URL="nope" is not a URL/,
      /DATABASE_URL must start with postgres:\/\//, /PAYMENT_PROVIDER="paypal" is not supported/);
  });

  it('refuses a port that is not a number, a short AUTH_SECRET, production without SMTP, and a DATA_DIR that is a file', async () => {
    const file = path.join(temp, 'a-file');
    writeFileSync(file, 'not a folder');
    const [port, secret, production, dataDir] = await Promise.all([
      server({ PORT: '70000' }),
      server({ AUTH_SECRET: 'short' }),
      server({ NODE_ENV: 'production' }),
      server({ DATA_DIR: file, AUTH_SECRET: '' }),
    ]);
    expectSentence(port, 2, /^Configuration error: PORT="70000" is not a port number/m);
    expectSentence(secret, 2, /AUTH_SECRET must be at least 32 characters/);
    expectSentence(production, 2, /NODE_ENV=production needs SMTP_URL/);
    expectSentence(dataDir, 2, /DATA_DIR=".*a-file" is a file, not a folder/);
  });
});

describe('start-up failures', SPAWNING, () => {
  it('a taken port is named within seconds, before anything is migrated (exit 4)', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    const dataDir = freshDir();
    try {
      const result = await server({ PORT: String(port), DATA_DIR: dataDir });
      expectSentence(result, 4, new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use`), /choose another port with PORT=/);
      expect(existsSync(path.join(dataDir, 'pglite'))).toBe(false); // no database was opened
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('a HOST that is not an address of this machine, and a PostgreSQL that does not answer', async () => {
    const [host, refused] = await Promise.all([
      server({ HOST: '192.0.2.1', PORT: String(await freePort()) }),
      server({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/dashboard', PORT: String(await freePort()) }),
    ]);
    expectSentence(host, 4, /HOST=192\.0\.2\.1 is not an address of this machine/);
    expectSentence(refused, 5, /Nothing answers at 127\.0\.0\.1:1 \(DATABASE_URL\): is PostgreSQL running/);
  });

  it('the embedded database in use by another process (exit 3)', async () => {
    const dataDir = freshDir();
    mkdirSync(path.join(dataDir, 'pglite'), { recursive: true });
    writeFileSync(path.join(dataDir, 'pglite', 'dashboard.lock'), String(process.pid)); // this test is alive
    const [started, migrate, copy] = await Promise.all([
      server({ DATA_DIR: dataDir, PORT: String(await freePort()) }),
      run('scripts/migrate.ts', { DATA_DIR: dataDir }),
      run('scripts/copy-to-postgres.ts', { DATA_DIR: dataDir, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x' }),
    ]);
    expectSentence(started, 3, /is in use by another process \(pid \d+\)/, /set DATABASE_URL to use PostgreSQL/);
    expectSentence(migrate, 3, /in use by another process/, /Stop the server first/);
    expectSentence(copy, 3, /in use by another process/, /Stop the server first/);
    expect(copy.output).not.toMatch(/or set DATABASE_URL/); // it is set: the copy says what helps
  });

  it('db:copy-to-postgres refuses without DATABASE_URL and without an embedded database (exit 2)', async () => {
    const [noTarget, noSource] = await Promise.all([
      run('scripts/copy-to-postgres.ts', {}),
      run('scripts/copy-to-postgres.ts', { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x' }),
    ]);
    expectSentence(noTarget, 2, /Set DATABASE_URL to the PostgreSQL database to copy into/);
    expectSentence(noSource, 2, /There is no embedded database in DATA_DIR/);
  });
});

describe.skipIf(!onPostgres)('start-up failures on PostgreSQL', SPAWNING, () => {
  const base = process.env.DATABASE_URL ?? '';

  it('a database that does not exist: the sentence says how to create it (exit 5)', async () => {
    const missing = withDatabase(base, `dash_missing_${Math.random().toString(36).slice(2, 8)}`);
    const name = new URL(missing).pathname.slice(1);
    const [started, migrate] = await Promise.all([
      server({ DATABASE_URL: missing, PORT: String(await freePort()) }),
      run('scripts/migrate.ts', { DATABASE_URL: missing }),
    ]);
    for (const result of [started, migrate]) {
      expectSentence(result, 5, new RegExp(`The PostgreSQL database "${name}" does not exist on [^;]+; create it with \`createdb -h \\S+ -p \\d+ -U \\S+ ${name}\``));
    }
  });

  it('db:copy-to-postgres refuses a target that already holds Accounts, in a sentence (exit 2)', async () => {
    const template = inject('templateDatabase');
    const name = `dash_tcopy${Math.random().toString(36).slice(2, 8)}_${template.split('_')[2]}_x`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    const target = withDatabase(base, name);
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    await client.query(`INSERT INTO accounts (id, name, email, email_verified, created_at, updated_at) VALUES ('acc_copy', 'Someone', 'someone@example.com', true, now(), now())`);
    await client.end();
    const dataDir = freshDir();
    mkdirSync(path.join(dataDir, 'pglite'), { recursive: true });
    try {
      const result = await run('scripts/copy-to-postgres.ts', { DATA_DIR: dataDir, DATABASE_URL: target });
      expectSentence(result, 2, /The target database already holds 1 Account\(s\); copy only into an empty database/);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});

describe('npm run bench (issue 18)', SPAWNING, () => {
  it('--help prints the options and touches nothing; an unknown option is refused', async () => {
    // An unreachable DATABASE_URL: any attempt to seed would fail loudly.
    const env = { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/postgres' };
    const [help, bad] = await Promise.all([run('bench/run.ts', env, ['--help']), run('bench/run.ts', env, ['--skipseed'])]);
    expect(help.code, help.output).toBe(0);
    expect(help.output).toMatch(/^Usage: /m);
    for (const option of ['--scale', '--only', '--skip-seed', '--port-base', '--help']) expect(help.output).toContain(option);
    expect(help.output).not.toMatch(/\] seeding |\] reusing seeded|ECONNREFUSED/); // the log lines of a seed
    expectSentence(bad, 2, /npm run bench: unknown option --skipseed/);
  });
});
