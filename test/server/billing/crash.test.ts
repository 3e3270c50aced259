import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq, like } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/server/db/client.js';
import { invoicePayments, invoices, outbox, sandboxCharges } from '../../../src/server/db/schema.js';
import { mailIssuedInvoices } from '../../../src/server/jobs/invoiceMail.js';
import { runMonth } from '../../../src/server/modules/billing/monthlyRun.js';
import { createTestApp, signUpVerified } from '../../harness/testApp.js';
import { bookApp, createCompany } from '../../harness/factories.js';
import { atTime } from '../../harness/billing.js';
import { withDatabase } from '../../harness/dbUrl.js';

/**
 * Issue 12: "a test kills the worker between the charge and the commit of its result and shows
 * one charge". A real charge worker runs in a child process against this run's database (the
 * PGlite directory, or PostgreSQL with DATABASE_URL) and the sandbox provider; it is SIGKILLed
 * right after the provider charged the invoice, before the result is committed. A second worker,
 * after the 5-minute lease, charges it again with the same idempotency key: the provider holds
 * one charge, the invoice is paid, one result and one receipt are recorded.
 */
const ROOT = path.resolve(import.meta.dirname, '../../..');
const CHILD = 'test/server/billing/chargeWorker.child.ts';
const SPAWNING = { timeout: 120_000 };

interface Location { databaseUrl?: string; pgliteDir?: string; dispose(): Promise<void> }

/** A fresh, migrated database that other processes can open too (not deleted on close). */
async function sharedDatabase(): Promise<Location> {
  const template = inject('templateDatabase');
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `dash_crash_${Math.random().toString(36).slice(2, 10)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`).finally(() => admin.end());
    return {
      databaseUrl: withDatabase(url, name),
      async dispose() {
        const cleanup = new pg.Client({ connectionString: url });
        await cleanup.connect();
        await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
        await cleanup.end();
      },
    };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dash-crash-'));
  cpSync(template, dir, { recursive: true });
  return { pgliteDir: dir, async dispose() { rmSync(dir, { recursive: true, force: true }); } };
}

const open = (at: Location): Promise<Database> => openDatabase({ databaseUrl: at.databaseUrl ?? null, pgliteDir: at.pgliteDir, noLock: true, poolSize: 2 });

function worker(at: Location, now: string, stopAfter?: string): { child: ChildProcess; output: () => string; line: (pattern: RegExp) => Promise<string>; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), NOW: now,
      ...(at.databaseUrl ? { DATABASE_URL: at.databaseUrl } : { PGLITE_DIR: at.pgliteDir! }),
      ...(stopAfter ? { STOP_AFTER_CHARGE: stopAfter } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      const match = out.split('\n').find((l) => w.pattern.test(l));
      if (match) { waiters.splice(waiters.indexOf(w), 1); w.resolve(match); }
    }
  };
  child.stdout!.on('data', (d) => { out += d; check(); });
  child.stderr!.on('data', (d) => { out += d; });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
  void exit.then(() => clearTimeout(timer));
  return {
    child, output: () => out, exit,
    line: (pattern) => Promise.race([
      new Promise<string>((resolve) => { waiters.push({ pattern, resolve }); check(); }),
      exit.then(({ code, signal }) => { throw new Error(`worker ended (${code ?? signal}) before ${pattern}:\n${out}`); }),
    ]),
  };
}

let at: Location;
let invoice: { id: string; number: string };
const ISSUED = '2026-12-01T00:10:00Z';

beforeAll(async () => {
  at = await sharedDatabase();
  const t = await createTestApp({ database: await open(at) });
  try {
    const owner = await signUpVerified(t);
    await atTime(t, '2026-11-10T09:00:00Z', async () => {
      const company = await createCompany(t, owner, { name: 'Crash Bakery' });
      await bookApp(t, owner, company);
    });
    await atTime(t, ISSUED, async () => {
      await runMonth(t.services, '2026-11');
      await mailIssuedInvoices(t.services);
    });
    const [row] = await t.services.db.select().from(invoices);
    invoice = { id: row.id, number: row.number };
  } finally {
    await t.close(); // releases the database for the workers (PGlite: one process at a time)
  }
}, 120_000);
afterAll(async () => { await at?.dispose(); });

async function look() {
  const database = await open(at);
  try {
    const [row] = await database.db.select().from(invoices).where(eq(invoices.id, invoice.id));
    return {
      state: row.state,
      charges: await database.db.select().from(sandboxCharges).where(like(sandboxCharges.idempotencyKey, `${invoice.id}:%`)),
      results: await database.db.select().from(invoicePayments).where(eq(invoicePayments.invoiceId, invoice.id)),
      receipts: (await database.db.select().from(outbox)).filter((m) => m.kind === 'invoice-receipt'),
    };
  } finally {
    await database.close();
  }
}

describe(`a charge worker killed between the charge and the commit of its result (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite directory'})`, SPAWNING, () => {
  it('is charged once: SIGKILL right after the provider call, then the next worker after the lease pays it with the same key', async () => {
    const first = worker(at, '2026-12-01T00:11:00Z', invoice.number);
    const charged = await first.line(/^charged /);
    expect(charged).toBe(`charged ${invoice.id}:charge:1`);
    first.child.kill('SIGKILL');
    expect(await first.exit).toEqual({ code: null, signal: 'SIGKILL' });

    const afterKill = await look();
    expect(afterKill.charges).toHaveLength(1); // the provider charged …
    expect(afterKill.results).toEqual([]); // … but the result never reached the database
    expect(afterKill.state).toBe('open');

    // Within the 5-minute lease another worker leaves it alone; after it, it retries attempt 1.
    const early = worker(at, '2026-12-01T00:13:00Z');
    expect(await early.line(/^done /)).toBe('done {"charged":0,"refunded":0,"suspended":0}');
    expect((await early.exit).code).toBe(0);
    const retry = worker(at, '2026-12-01T00:17:00Z');
    expect(await retry.line(/^done /)).toBe('done {"charged":1,"refunded":0,"suspended":0}');
    expect((await retry.exit).code, retry.output()).toBe(0);

    const end = await look();
    expect(end.state).toBe('paid');
    expect(end.charges.map((c) => c.idempotencyKey)).toEqual([`${invoice.id}:charge:1`]);
    expect(end.results).toEqual([expect.objectContaining({ idempotencyKey: `${invoice.id}:charge:1`, state: 'paid', amountCents: 1333 })]);
    expect(end.charges[0]).toMatchObject({ amountCents: 1333, currency: 'EUR' });
    expect(end.receipts).toHaveLength(1);
  });
});
