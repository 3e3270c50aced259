/**
 * `npm run bench -- --billing`: the monthly invoice run of issue 12 at a bench scale (about 3k
 * billing contacts at 10k, 300k at 1m), measured on the seeded `bench_ours_<scale>` database:
 *
 * - the run itself, as an operator would start it: `npm run billing -- run --month <last month>`
 *   in its own process, timed until it exits (compute and number every invoice);
 * - PDFs rendered per second: the server's invoice-mail job renders each invoice's PDF and queues
 *   its mail after the run commits it (`mailed_at` counted over time), and a sample rendered in
 *   this process alone (`invoicePdf`, one after the other: one core, no database writes);
 * - the web's read latency (the read operations of the main bench) on a quiet server first, then
 *   again and again while the run works.
 *
 * Every billing row of the month is deleted first and the server's own scheduler is told the
 * month is done, so a rerun (`--skip-seed`) measures the same work and only the operator command
 * issues invoices. The sandbox declines the seeded cards (`pm_bench_*` are no sandbox tokens):
 * every charge fails and queues its failure mails, as a bad month would.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/server/db/client.js';
import { invoicePdf } from '../src/server/modules/billing/invoices.js';
import type { InvoiceRow } from '../src/server/modules/billing/invoiceRepo.js';
import { invoices } from '../src/server/db/schema.js';
import { withClient } from './lib/db.js';
import { load, type LoadResult } from './lib/load.js';
import type { Server } from './lib/proc.js';
import type { Op } from './ops.js';

export interface BillingOptions {
  url: string;
  root: string;
  secret: string;
  connections: number;
  /** Seconds per read measurement (quiet, and each round during the run). */
  seconds: number;
  /** Invoices rendered in this process for the PDF rate. */
  pdfSample: number;
  /** How long to keep counting mailed invoices after the run ended. */
  mailWaitSeconds: number;
  log(message: string): void;
}

type Latency = Pick<LoadResult, 'rps' | 'p50' | 'p99' | 'requests' | 'non2xx' | 'errors'>;

export interface BillingResult {
  month: string;
  contactsWithCharges: number;
  /**
   * `seconds`: from the start of the process to its exit (invoicesPerSecond over it);
   * `invoicingSeconds`: from its "Invoicing…" line to its "Done" line, without starting Node,
   * opening the database and migrating (a few seconds, most of the 10k run).
   */
  run: { seconds: number; invoicingSeconds: number | null; issued: number; alreadyIssued: number; invoicesPerSecond: number; invoicingPerSecond: number | null; exitCode: number | null; output: string[] };
  /** The server's invoice-mail job: PDF rendered and mail queued per invoice, after commit. */
  mailing: { mailedDuringRun: number; mailedAtEnd: number; left: number; seconds: number; perSecond: number | null };
  /** PDFs rendered in the bench process alone. */
  pdf: { rendered: number; seconds: number; perSecond: number | null; bytes: number };
  reads: { op: string; label: string; quiet: Latency; duringRun: Latency & { rounds: number } }[];
}

/** The month that ended last (UTC): the one an operator invoices today. */
export function lastMonth(now = new Date()): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}

/**
 * Puts the month back to "not invoiced" and tells every server's scheduler it is done, so only
 * the operator command below issues its invoices. Run it before the server starts.
 */
export async function resetMonth(url: string, month: string): Promise<void> {
  await withClient(url, async (c) => {
    await c.query('BEGIN');
    await c.query(`DELETE FROM invoice_payments`);
    await c.query(`DELETE FROM sandbox_charges`);
    await c.query(`DELETE FROM outbox WHERE kind IN ('invoice', 'credit-note', 'invoice-receipt', 'invoice-payment-failed', 'invoice-action-required')`);
    await c.query(`DELETE FROM invoices`);
    await c.query(`DELETE FROM invoice_counters`);
    await c.query(`DELETE FROM activity_events WHERE category = 'billing'`);
    await c.query(`INSERT INTO scheduled_runs (job, run_key, state, attempts, created_at, finished_at, result)
      VALUES ('monthly-invoices', $1, 'done', 0, now(), now(), '{"bench":"the operator command does this run"}')
      ON CONFLICT (job, run_key) DO UPDATE SET state = 'done', claimed_by = NULL, lease_until = NULL`, [month]);
    await c.query('COMMIT');
    await c.query('VACUUM ANALYZE invoices');
  });
}

/**
 * The main bench (the operations): the seeded Apps have billing periods, so a server started in
 * December would run November's invoices by itself within a minute (ADR 0037) and render, mail
 * and charge thousands of them while the reads are measured. Marking the month done keeps that
 * work out of those numbers; `--billing` measures it on purpose.
 */
export async function holdMonthlyRun(url: string, month: string): Promise<void> {
  await withClient(url, (c) => c.query(`INSERT INTO scheduled_runs (job, run_key, state, attempts, created_at, finished_at, result)
    VALUES ('monthly-invoices', $1, 'done', 0, now(), now(), '{"bench":"held: not part of the operations measured"}')
    ON CONFLICT (job, run_key) DO NOTHING`, [month]));
}

async function contactsWithCharges(url: string, month: string): Promise<number> {
  return withClient(url, async (c) => Number((await c.query(`SELECT count(DISTINCT billing_contact_id)::int AS n FROM billing_periods
    WHERE from_day <= ($1 || '-01')::date + interval '1 month' - interval '1 day' AND (to_day IS NULL OR to_day >= ($1 || '-01')::date)`, [month])).rows[0].n));
}

const mailedCount = (url: string) => withClient(url, async (c) => Number((await c.query(`SELECT count(*)::int AS n FROM invoices WHERE mailed_at IS NOT NULL`)).rows[0].n));

const latency = (r: LoadResult): Latency => ({ rps: r.rps, p50: r.p50, p99: r.p99, requests: r.requests, non2xx: r.non2xx, errors: r.errors });

/** The operator command in its own process; resolves when it exits. */
function operatorRun(opts: BillingOptions, month: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(opts.root, 'scripts/billing.ts'), 'run', '--month', month], {
    cwd: opts.root,
    env: { ...process.env, DATABASE_URL: opts.url, AUTH_SECRET: opts.secret, LOG_LEVEL: 'warn', DATA_DIR: path.join(os.tmpdir(), 'dashboard-bench-data') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const at: { invoicing?: number; done?: number; exit?: number } = {};
  let partial = '';
  const take = (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      if (line.startsWith('Invoicing ')) at.invoicing ??= performance.now();
      if (line.startsWith('Done')) at.done ??= performance.now();
      lines.push(line);
      opts.log(`  billing: ${line}`);
    }
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => { at.exit = performance.now(); if (partial) lines.push(partial); resolve(code); }));
  return { lines, at, exit };
}

function summaryNumber(lines: string[], label: string): number {
  const line = lines.find((l) => l.includes(label));
  return line ? Number(/(\d+)/.exec(line.slice(line.indexOf(label) + label.length))?.[1] ?? 0) : 0;
}

/** Renders up to `sample` issued invoices in this process, one after the other. */
async function renderSample(url: string, sample: number): Promise<BillingResult['pdf']> {
  if (sample <= 0) return { rendered: 0, seconds: 0, perSecond: null, bytes: 0 };
  const database = await openDatabase({ databaseUrl: url, poolSize: 2 });
  try {
    const rows: InvoiceRow[] = await database.db.select().from(invoices).orderBy(invoices.number).limit(sample);
    await invoicePdf({ db: database.db }, rows[0]); // fonts loaded, code warm
    let bytes = 0;
    const t0 = performance.now();
    for (const row of rows) bytes += (await invoicePdf({ db: database.db }, row)).length;
    const seconds = (performance.now() - t0) / 1000;
    return { rendered: rows.length, seconds: Number(seconds.toFixed(2)), perSecond: seconds > 0 ? Number((rows.length / seconds).toFixed(1)) : null, bytes: Math.round(bytes / Math.max(1, rows.length)) };
  } finally {
    await database.close();
  }
}

/** The monthly run against a started server of ours (see the file's comment). Call resetMonth first. */
export async function benchMonthlyRun(opts: BillingOptions, server: Server, ops: Op[], month: string): Promise<BillingResult> {
  const reads = ops.filter((op) => op.method === 'GET' && op.shot);
  const contacts = await contactsWithCharges(opts.url, month);
  opts.log(`billing: ${contacts.toLocaleString()} billing contacts have charges in ${month}`);

  const quiet = new Map<string, LoadResult>();
  for (const op of reads) {
    await load({ url: server.url, method: 'GET', connections: opts.connections, shot: op.shot, seconds: Math.min(2, opts.seconds) });
    const r = await load({ url: server.url, method: 'GET', connections: opts.connections, shot: op.shot, seconds: opts.seconds });
    quiet.set(op.key, r);
    opts.log(`  quiet   ${op.key.padEnd(9)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms`);
  }

  opts.log(`billing: npm run billing -- run --month ${month} (its own process), reads measured while it works`);
  const started = performance.now();
  const run = operatorRun(opts, month);
  let exitCode: number | null | undefined;
  void run.exit.then((code) => { exitCode = code; });
  const during = new Map<string, LoadResult[]>();
  while (exitCode === undefined) {
    for (const op of reads) {
      if (exitCode !== undefined) break;
      const r = await load({ url: server.url, method: 'GET', connections: opts.connections, shot: op.shot, seconds: opts.seconds });
      during.set(op.key, [...(during.get(op.key) ?? []), r]);
      opts.log(`  running ${op.key.padEnd(9)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms`);
    }
    if (reads.length === 0) await run.exit;
  }
  await run.exit;
  // Timed at the exit, not after the round of reads that was running then.
  const runSeconds = (run.at.exit! - started) / 1000;
  const invoicingSeconds = run.at.invoicing !== undefined && run.at.done !== undefined ? (run.at.done - run.at.invoicing) / 1000 : null;
  const mailedDuringRun = await mailedCount(opts.url);

  // The server keeps mailing (one PDF per invoice) after the run; count for a while.
  const issued = summaryNumber(run.lines, 'Invoices issued now:');
  const mailStart = performance.now();
  let mailed = mailedDuringRun;
  while (mailed < issued && performance.now() - mailStart < opts.mailWaitSeconds * 1000) {
    await new Promise((r) => setTimeout(r, 1000));
    mailed = await mailedCount(opts.url);
  }
  const mailSeconds = (performance.now() - started) / 1000;

  const pdf = await renderSample(opts.url, opts.pdfSample);
  const mean = (rs: LoadResult[], key: 'rps' | 'p50' | 'p99') => rs.reduce((s, r) => s + r[key], 0) / rs.length;
  return {
    month,
    contactsWithCharges: contacts,
    run: {
      seconds: Number(runSeconds.toFixed(1)), invoicingSeconds: invoicingSeconds === null ? null : Number(invoicingSeconds.toFixed(1)),
      issued, alreadyIssued: summaryNumber(run.lines, 'Invoices issued before (unchanged):'),
      invoicesPerSecond: runSeconds > 0 ? Number((issued / runSeconds).toFixed(1)) : 0,
      invoicingPerSecond: invoicingSeconds ? Number((issued / invoicingSeconds).toFixed(1)) : null,
      exitCode: exitCode ?? null, output: run.lines,
    },
    mailing: {
      mailedDuringRun, mailedAtEnd: mailed, left: issued - mailed, seconds: Number(mailSeconds.toFixed(1)),
      perSecond: mailSeconds > 0 ? Number((mailed / mailSeconds).toFixed(1)) : null,
    },
    pdf,
    reads: reads.map((op) => {
      const rs = during.get(op.key) ?? [];
      const worst = rs.length ? rs.reduce((a, b) => (b.p99 > a.p99 ? b : a)) : null;
      return {
        op: op.key, label: op.label, quiet: latency(quiet.get(op.key)!),
        // Mean throughput and p50 over the rounds during the run, and the worst round's p99.
        duringRun: rs.length
          ? { rps: mean(rs, 'rps'), p50: mean(rs, 'p50'), p99: worst!.p99, requests: rs.reduce((s, r) => s + r.requests, 0), non2xx: rs.reduce((s, r) => s + r.non2xx, 0), errors: rs.reduce((s, r) => s + r.errors, 0), rounds: rs.length }
          : { rps: 0, p50: 0, p99: 0, requests: 0, non2xx: 0, errors: 0, rounds: 0 },
      };
    }),
  };
}

/** The result as the table docs/performance.md keeps. */
export function billingTable(scale: string, r: BillingResult): string {
  const rows = [
    `| scale | billing contacts with charges | invoices issued | run (s) | invoices/s | "Invoicing…" to "Done" (s) | invoices/s there | PDFs/s (server, with mails) | PDFs/s (one process, render only) |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|---:|`,
    `| ${scale} | ${r.contactsWithCharges} | ${r.run.issued} | ${r.run.seconds} | ${r.run.invoicesPerSecond} | ${r.run.invoicingSeconds ?? '—'} | ${r.run.invoicingPerSecond ?? '—'} | ${r.mailing.perSecond ?? '—'}${r.mailing.left > 0 ? ` (${r.mailing.left} not mailed yet)` : ''} | ${r.pdf.perSecond ?? '—'} |`,
    '',
    `| read (${scale}) | quiet p50 / p99 ms | req/s | during the run p50 / worst p99 ms | req/s | rounds |`,
    `|---|---:|---:|---:|---:|---:|`,
    ...r.reads.map((x) => `| ${x.label} | ${x.quiet.p50.toFixed(1)} / ${x.quiet.p99.toFixed(1)} | ${x.quiet.rps.toFixed(0)} | ${x.duringRun.p50.toFixed(1)} / ${x.duringRun.p99.toFixed(1)} | ${x.duringRun.rps.toFixed(0)} | ${x.duringRun.rounds} |`),
  ];
  return rows.join('\n');
}
