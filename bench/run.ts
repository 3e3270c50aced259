/**
 * `npm run bench -- --help` prints the options (and touches nothing).
 *
 * Seeds PostgreSQL (DATABASE_URL names the server; the bench owns bench_* databases),
 * starts each system as a separate process, drives it with autocannon on loopback and
 * prints requests/s, p50 and p99 per operation and system. Writes bench/results/<date>-<scale>.json.
 * A benchmark, not a test: it never fails on time.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getMigrations } from 'better-auth/db/migration';
import { openDatabase } from '../src/server/db/client.js';
import { benchMonthlyRun, billingTable, holdMonthlyRun, lastMonth, resetMonth, type BillingResult } from './billing.js';
import { explainHotQueries } from './lib/explain.js';
import { recreateDatabase, urlFor, withClient } from './lib/db.js';
import { load, type LoadResult, type Shot } from './lib/load.js';
import { pgbenchSessionLookup } from './lib/pgbench.js';
import { formatProfile, summarizeProfiles, type ProfileSummary } from './lib/profile.js';
import { startServer, type Server } from './lib/proc.js';
import { ratios, scaleTable, table, type Measured, type RunResult, type System } from './lib/report.js';
import { ceilingOps, ourOps, peerOps, type Op } from './ops.js';
import { createPeerAuth } from './peer/auth.js';
import { seedOurs } from './seed/ours.js';
import { seedPeer } from './seed/peer.js';
import { companyId, MAIN_DEV, sessionToken, signedCookieValue, SCALES, type Scale, type ScaleName } from './shape.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const RESULTS = path.join(HERE, 'results');
/** Creations measured one at a time after the run, when at least this many fixtures are left (ADR 0123). */
const SERIAL_MIN = 50;
const SERIAL_MAX = 200;
const SECRET = 'bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
const USAGE = `Usage: DATABASE_URL=postgres://user@host:5432/postgres npm run bench -- [options]

Seeds the bench_* databases on that PostgreSQL server (they are dropped and created again),
starts each system on loopback, measures it and writes bench/results/<date>-<scale>-p<N>.json.

  --scale 10k|1m|both     data set size (default 10k)
  --only LIST             systems to measure, comma-separated: ceiling, ours, peer (default all);
                          --only ceiling needs no seeded data and seeds nothing
  --skip-seed             reuse the databases of an earlier run instead of seeding
  --processes N           server processes for ours (default 1)
  --seconds S             measuring time per operation (default 6)
  --warmup S              warm-up time per operation (default 2)
  --rounds N              rounds per operation, best kept (default 1)
  --connections C         concurrent connections (default 32)
  --port-base P           ours listens on P, peer on P+1, ceiling on P+2 (default 3411; or BENCH_PORT_BASE)
  --ops LIST              only these operations: noop, companies, apps, members, invite, accept
  --cpu-prof              profile our server (node --cpu-prof); the summary is printed and kept in the JSON
  --billing               instead of the operations: the monthly invoice run of last month on our
                          seeded data (npm run billing in its own process), PDFs per second, and the
                          read latencies while it works; writes <date>-<scale>-billing.json.
                          With --skip-seed it reuses the data and first deletes the month's invoices
  --billing-pdfs N        invoices rendered in the bench process for the PDF rate (default 500)
  --billing-mail-wait S   how long to keep counting mailed invoices after the run (default 60)
  --help                  this text`;

const SYSTEMS: System[] = ['ceiling', 'ours', 'peer'];
const VALUE_OPTIONS = ['scale', 'only', 'ops', 'processes', 'seconds', 'warmup', 'rounds', 'connections', 'port-base', 'billing-pdfs', 'billing-mail-wait'];
const FLAGS = ['skip-seed', 'cpu-prof', 'billing'];
let PORTS = { ours: 3411, peer: 3412, ceiling: 3413 };
const HELLO: Shot = { path: '/hello', headers: {} };

interface Args {
  scales: ScaleName[]; processes: number; seconds: number; warmup: number; connections: number; rounds: number; skipSeed: boolean; only: System[]; portBase: number;
  /** Only these operations (e.g. one route to profile). */
  ops: string[] | null;
  /** Run our server under `node --cpu-prof`; the profile's summary is printed and kept in the JSON. */
  cpuProf: boolean;
  /** The monthly invoice run instead of the operations (issue 12). */
  billing: { pdfs: number; mailWaitSeconds: number } | null;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Args {
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    if (!argv[i].startsWith('--') || (!VALUE_OPTIONS.includes(name) && !FLAGS.includes(name))) throw new UsageError(`unknown option ${argv[i]}`);
    if (VALUE_OPTIONS.includes(name)) {
      if (argv[i + 1] === undefined || argv[i + 1].startsWith('--')) throw new UsageError(`--${name} needs a value`);
      i++;
    }
  }
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const count = (name: string, fallback: number, min = 1) => {
    const value = get(name) ?? String(fallback);
    if (!/^\d+$/.test(value) || Number(value) < min) throw new UsageError(`--${name} must be a whole number from ${min} up (got ${value})`);
    return Number(value);
  };
  const scale = get('scale') ?? '10k';
  const scales: ScaleName[] = scale === 'both' ? ['10k', '1m'] : [scale.toLowerCase() as ScaleName];
  for (const s of scales) if (!SCALES[s]) throw new UsageError(`--scale must be 10k, 1m or both (got ${scale})`);
  const only = (get('only')?.split(',').map((s) => s.trim()) ?? SYSTEMS) as System[];
  const unknown = only.filter((s) => !SYSTEMS.includes(s));
  if (unknown.length || only.length === 0) throw new UsageError(`--only takes ceiling, ours and peer, comma-separated (got ${get('only')})`);
  if (!argv.includes('--billing') && (get('billing-pdfs') !== undefined || get('billing-mail-wait') !== undefined)) throw new UsageError('--billing-pdfs and --billing-mail-wait go with --billing');
  if (argv.includes('--billing') && (get('only') !== undefined || get('ops') !== undefined || argv.includes('--cpu-prof') || get('processes') !== undefined)) {
    throw new UsageError('--billing measures our server alone (one process): leave out --only, --ops, --processes and --cpu-prof');
  }
  const portBase = count('port-base', Number(process.env.BENCH_PORT_BASE || 3411), 1024);
  if (portBase > 65533) throw new UsageError(`--port-base must leave room for three ports (got ${portBase})`);
  return {
    scales,
    processes: count('processes', 1),
    seconds: count('seconds', 6),
    warmup: count('warmup', 2, 0),
    rounds: count('rounds', 1),
    connections: count('connections', 32),
    skipSeed: argv.includes('--skip-seed'),
    only,
    portBase,
    ops: get('ops')?.split(',').map((s) => s.trim()) ?? null,
    cpuProf: argv.includes('--cpu-prof'),
    billing: argv.includes('--billing') ? { pdfs: count('billing-pdfs', 500, 0), mailWaitSeconds: count('billing-mail-wait', 60, 0) } : null,
  };
}

/**
 * CPU time (user + system, all threads) a process has used, in ms, from /proc (Linux); null
 * elsewhere. Per request it is far less sensitive to a shared machine than requests/s.
 */
function processCpuMs(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms (USER_HZ 100)
  } catch {
    return null;
  }
}

/** Requests sent to each system's server in this run (see `measure`). */
const sent: Partial<Record<System, number>> = {};

const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

async function seed(base: string, scale: Scale, skip: boolean) {
  const oursUrl = urlFor(base, `bench_ours_${scale.name}`);
  const peerUrl = urlFor(base, `bench_ba_${scale.name}`);
  if (skip) {
    log(`reusing seeded databases bench_ours_${scale.name} and bench_ba_${scale.name}`);
    return { oursUrl, peerUrl, seconds: 0, ours: {}, peer: {} };
  }
  const t0 = performance.now();
  log(`seeding ${scale.name}: ${scale.accounts.toLocaleString()} Accounts, ${scale.companies.toLocaleString()} Companies, ${scale.apps.toLocaleString()} Apps`);
  await recreateDatabase(base, `bench_ours_${scale.name}`);
  const database = await openDatabase({ databaseUrl: oursUrl, poolSize: 2 });
  try {
    await database.migrate();
  } finally {
    await database.close();
  }
  const ours = await withClient(oursUrl, (c) => seedOurs(c, scale, log));

  await recreateDatabase(base, `bench_ba_${scale.name}`);
  const { auth, pool } = createPeerAuth({ databaseUrl: peerUrl, baseURL: `http://127.0.0.1:${PORTS.peer}`, secret: SECRET, poolSize: 2 });
  try {
    await (await getMigrations(auth.options)).runMigrations();
  } finally {
    await pool.end();
  }
  const peer = await withClient(peerUrl, (c) => seedPeer(c, scale, log));
  const seconds = (performance.now() - t0) / 1000;
  log(`seeded in ${seconds.toFixed(1)} s`);
  return { oursUrl, peerUrl, seconds, ours, peer };
}

/** Follows nextCursor to the end: how many requests the whole list takes. */
async function walk(server: Server, listPath: string, headers: Record<string, string>) {
  let cursor: string | null = null;
  let requests = 0;
  let items = 0;
  let pageSize: number | null = null;
  do {
    const res = await fetch(`${server.url}${listPath}${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`, { headers });
    if (res.status !== 200) throw new Error(`${listPath}: ${res.status} ${await res.text()}`);
    const body = await res.json() as { items: unknown[]; nextCursor: string | null } | unknown[];
    requests += 1;
    if (Array.isArray(body)) return { requests, items: body.length, pageSize: null };
    pageSize ??= body.items.length;
    items += body.items.length;
    cursor = body.nextCursor;
  } while (cursor);
  return { requests, items, pageSize };
}

async function probe(server: Server, op: Op, shot: Shot): Promise<string | null> {
  const res = await fetch(server.url + shot.path, { method: op.method, headers: shot.headers, body: shot.body });
  const text = await res.text();
  return res.status >= 200 && res.status < 300 ? null : `${op.key}: ${res.status} ${text.slice(0, 500)}`;
}

/** Measures each operation of one system, one after the other, with warm-up. */
interface Around {
  /** The bare Fastify server, measured again right before each operation (the machine is shared). */
  ceiling?: Server;
  /** Runs before an operation (ours: let the outbox drain before accept). */
  before?: (op: Op) => Promise<void>;
}

async function measure(system: System, server: Server, ops: Op[], args: Args, checks: Record<string, unknown>, around: Around = {}): Promise<Measured[]> {
  const out: Measured[] = [];
  // Every request sent to this server (warm-ups included), for the CPU time per request of a profile.
  const loadServer = async (o: Parameters<typeof load>[0]) => {
    const r = await load(o);
    if (o.url === server.url) sent[system] = (sent[system] ?? 0) + r.requests + r.errors;
    return r;
  };
  if (args.ops) ops = ops.filter((op) => args.ops!.includes(op.key) || op.key === 'hello');
  // A fresh process is slow for its first thousands of requests (JIT, new database
  // connections): warm every read route up once before the first measurement.
  for (const op of ops) if (op.shot) await loadServer({ url: server.url, method: op.method, connections: args.connections, shot: op.shot, seconds: args.warmup });
  for (const op of ops) {
    await around.before?.(op);
    const adjacentCeiling = async () => around.ceiling
      ? (await loadServer({ url: around.ceiling.url, method: 'GET', connections: args.connections, shot: HELLO, seconds: Math.min(4, args.seconds) })).rps
      : undefined;
    let ceilingRps: number | undefined;
    const cpu = { ms: 0, requests: 0 };
    const base = { url: server.url, method: op.method, connections: args.connections };
    let result: LoadResult;
    let rounds: Measured['rounds'];
    let serial: Measured['serial'];
    if (op.shot) {
      const problem = await probe(server, op, op.shot);
      if (problem) {
        log(`  ${system} ${op.key}: FAILED ${problem}`);
        checks[`${system}.${op.key}`] = problem;
        continue;
      }
      await loadServer({ ...base, shot: op.shot, seconds: args.warmup });
      // --rounds N: N measurements, each next to its own ceiling; the median round is kept.
      const all: { result: LoadResult; ceilingRps?: number }[] = [];
      for (let round = 0; round < args.rounds; round++) {
        const c = await adjacentCeiling();
        const cpuBefore = processCpuMs(server.child.pid);
        const measured = await loadServer({ ...base, shot: op.shot, seconds: args.seconds });
        const cpuAfter = processCpuMs(server.child.pid);
        if (cpuBefore !== null && cpuAfter !== null && args.processes === 1) {
          cpu.ms += cpuAfter - cpuBefore;
          cpu.requests += measured.requests;
        }
        all.push({ result: measured, ceilingRps: c });
      }
      const median = [...all].sort((a, b) => a.result.rps - b.result.rps)[Math.floor((all.length - 1) / 2)];
      result = median.result;
      ceilingRps = median.ceilingRps;
      if (all.length > 1) rounds = all.map((r) => ({ rps: r.result.rps, p50: r.result.p50, p99: r.result.p99, ceilingRps: r.ceilingRps }));
    } else if (args.skipSeed) {
      log(`  ${system} ${op.key}: skipped (--skip-seed: its one-time fixtures may be used already; reseed to measure it)`);
      continue;
    } else {
      ceilingRps = await adjacentCeiling();
      // Creations: every request uses its own fixture (App, invitation, session, card token).
      const pool = op.pool!;
      let t = 1;
      const problem = await probe(server, op, op.nth!(t++));
      if (problem) {
        log(`  ${system} ${op.key}: FAILED ${problem}`);
        checks[`${system}.${op.key}`] = problem;
        continue;
      }
      const next = () => op.nth!(t++);
      const warmAmount = Math.min(Math.max(50, Math.floor(pool / 10)), 300);
      const warm = await loadServer({ ...base, next, amount: warmAmount });
      // Fixtures are kept back for the serial run, and for the requests autocannon builds ahead on
      // each connection (setupRequest runs before a request is sent): a run that took the pool to
      // its last fixture sent one request past it (a non-2xx, 4 December).
      const reserve = SERIAL_MAX + 2 * args.connections;
      const amount = Math.max(50, Math.min(pool - t + 1 - reserve, Math.round(warm.rps * args.seconds)));
      const cpuBefore = processCpuMs(server.child.pid);
      result = await loadServer({ ...base, next, amount });
      const cpuAfter = processCpuMs(server.child.pid);
      if (cpuBefore !== null && cpuAfter !== null && args.processes === 1) {
        cpu.ms += cpuAfter - cpuBefore;
        cpu.requests += result.requests;
      }
      // One at a time: the latency of a single request with nothing queued (ADR 0123).
      const left = pool - t + 1;
      if (left >= SERIAL_MIN) {
        const one = await loadServer({ ...base, connections: 1, next, amount: Math.min(SERIAL_MAX, left) });
        serial = { requests: one.requests, rps: one.rps, p50: one.p50, p99: one.p99 };
      }
      checks[`${system}.${op.key}.fixturesUsed`] = t - 1;
    }
    const cpuMsPerRequest = cpu.requests > 0 ? Number((cpu.ms / cpu.requests).toFixed(3)) : undefined;
    const m: Measured = { system, op: op.key, ...result, ...(ceilingRps ? { ceilingRps } : {}), ...(rounds ? { rounds } : {}), ...(cpuMsPerRequest !== undefined ? { cpuMsPerRequest } : {}), ...(serial ? { serial } : {}) };
    out.push(m);
    log(`  ${system.padEnd(7)} ${op.key.padEnd(9)} ${m.rps.toFixed(0).padStart(6)} req/s  p50 ${m.p50.toFixed(1)} ms  p99 ${m.p99.toFixed(1)} ms  (${m.requests} requests${m.non2xx || m.errors ? `, ${m.non2xx} non-2xx, ${m.errors} errors` : ''})${ceilingRps ? `; ceiling just before: ${ceilingRps.toFixed(0)} req/s` : ''}${cpuMsPerRequest !== undefined ? `; server CPU ${cpuMsPerRequest.toFixed(2)} ms/request` : ''}`);
    if (serial) log(`  ${system.padEnd(7)} ${op.key.padEnd(9)} one at a time (1 connection): p50 ${serial.p50.toFixed(1)} ms  p99 ${serial.p99.toFixed(1)} ms  (${serial.requests} requests, ${serial.rps.toFixed(0)} req/s)`);
  }
  return out;
}

/**
 * Waits until the outbox worker has delivered every queued mail (the invitations just
 * created queued one each), so accept is measured without that backlog; reports the rate.
 */
async function waitForOutbox(url: string, maxSeconds = 120) {
  return withClient(url, async (c) => {
    const pending = async () => Number((await c.query(`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL`)).rows[0].n);
    const first = await pending();
    const t0 = performance.now();
    let left = first;
    while (left > 0 && performance.now() - t0 < maxSeconds * 1000) {
      await new Promise((r) => setTimeout(r, 500));
      left = await pending();
    }
    const seconds = (performance.now() - t0) / 1000;
    return { mails: first - left, left, seconds: Number(seconds.toFixed(1)), perSecond: seconds > 0 ? Number(((first - left) / seconds).toFixed(1)) : null };
  });
}

/** Which code was measured: the commit, and whether src/ had uncommitted changes (a shared working tree). */
function codeVersion() {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: ROOT, encoding: 'utf8' }).trim();
    return { commit, srcChanged: dirty ? dirty.split('\n').length : 0 };
  } catch {
    return null;
  }
}

async function machine(base: string) {
  const postgres = await withClient(urlFor(base, 'postgres'), async (c) => (await c.query('SHOW server_version')).rows[0].server_version as string);
  return { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', node: process.version, postgres, loadavg: os.loadavg().map((v) => Number(v.toFixed(2))) };
}

async function runScale(base: string, scale: Scale, args: Args): Promise<RunResult> {
  const started = performance.now();
  const code = codeVersion();
  const loadBefore = os.loadavg().map((v) => Number(v.toFixed(2)));
  // Bare Fastify alone needs no data: --only ceiling seeds nothing and reads no database.
  const needsData = args.only.some((s) => s !== 'ceiling');
  const seeded = needsData ? await seed(base, scale, args.skipSeed) : { oursUrl: '', peerUrl: '', seconds: 0, ours: {}, peer: {} };
  const checks: Record<string, unknown> = {};
  const results: Measured[] = [];
  const pagination: RunResult['pagination'] = {};
  let cpuProfile: ProfileSummary | undefined;

  if (needsData) log('EXPLAIN ANALYZE of the hot queries');
  const explain = needsData ? await explainHotQueries(seeded.oursUrl) : [];
  for (const e of explain) log(`  ${e.executionMs.toFixed(3).padStart(8)} ms  ${e.name}`);

  let ceiling: Server | undefined;
  if (args.only.includes('ceiling')) {
    const pgResult = needsData ? pgbenchSessionLookup(seeded.oursUrl, sessionToken(MAIN_DEV), args.connections, args.seconds) : null;
    if (pgResult) {
      results.push({ system: 'ceiling', op: 'pgselect', ...pgResult });
      log(`  PostgreSQL alone (pgbench, prepared session lookup): ${pgResult.rps.toFixed(0)} queries/s, mean ${pgResult.p50.toFixed(2)} ms`);
    }
    log('ceiling: bare Fastify (kept running, idle, to be measured again next to every operation)');
    ceiling = await startServer({ name: 'ceiling', args: ['--import', 'tsx', path.join(HERE, 'ceiling.ts')], env: { NODE_ENV: 'production' }, port: PORTS.ceiling, readyPath: '/readyz' });
    results.push(...await measure('ceiling', ceiling, ceilingOps(), args, checks));
  }

  try {
    if (args.only.includes('ours')) {
      const origin = `http://127.0.0.1:${PORTS.ours}`;
      // The server's own monthly invoice run stays out of the operations measured (bench/billing.ts).
      await holdMonthlyRun(seeded.oursUrl, lastMonth());
      log(`ours: ${args.processes === 1 ? 'one process' : `${args.processes} processes (cluster)`}`);
      const entry = args.processes === 1 ? path.join(ROOT, 'src/server/main.ts') : path.join(HERE, 'cluster.ts');
      const profileDir = args.cpuProf ? mkdtempSync(path.join(os.tmpdir(), 'dashboard-bench-prof-')) : null;
      const spawnedAt = performance.now();
      const server = await startServer({
        name: 'ours', args: [...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []), '--import', 'tsx', entry], port: PORTS.ours, readyPath: '/readyz',
        readyLine: args.processes === 1 ? undefined : 'cluster ready',
        env: {
          // Not NODE_ENV=production: that needs SMTP_URL (ADR 0020); mails stay in the outbox log.
          SKIP_WEB_BUILD: '1', DATABASE_URL: seeded.oursUrl, AUTH_SECRET: SECRET, PUBLIC_URL: origin,
          LOG_LEVEL: 'warn', BENCH_PROCESSES: String(args.processes), DATA_DIR: path.join(os.tmpdir(), 'dashboard-bench-data'),
        },
      });
      // The profile leaves out the start (module loading), up to the moment the server answered.
      const startupMs = performance.now() - spawnedAt;
      try {
        const headers = { cookie: `dashboard.session_token=${signedCookieValue(sessionToken(MAIN_DEV), SECRET)}` };
        pagination['ours.companies'] = await walk(server, '/api/v1/companies', headers);
        pagination['ours.apps'] = await walk(server, '/api/v1/apps', headers);
        pagination['ours.members'] = await walk(server, `/api/v1/companies/${companyId(1)}/members`, headers);
        log(`  pagination: ${JSON.stringify(pagination)}`);
        const drainOutbox = async (op: Op) => {
          if (op.key !== 'accept') return;
          checks['ours.outbox'] = await waitForOutbox(seeded.oursUrl);
          log(`  outbox drained before accept: ${JSON.stringify(checks['ours.outbox'])}`);
        };
        results.push(...await measure('ours', server, ourOps(scale, origin, SECRET), args, checks, { ceiling, before: drainOutbox }));
      } finally {
        await server.stop();
      }
      if (profileDir) {
        cpuProfile = summarizeProfiles(profileDir, startupMs, sent.ours ?? 0);
        log(`  CPU profile of our server (${profileDir}):\n${formatProfile(cpuProfile)}`);
      }
      await withClient(seeded.oursUrl, async (c) => {
        const r = await c.query(`SELECT
          (SELECT count(*)::int FROM invitations WHERE state = 'accepted' AND id LIKE 'inv_a_%') AS accepted,
          (SELECT count(*)::int FROM invitations WHERE state = 'pending' AND app_id LIKE 'app_ti_%') AS invited,
          (SELECT count(*)::int FROM apps WHERE id LIKE 'app_ta_%' AND status = 'active') AS handed_over`);
        checks['ours.db'] = r.rows[0];
        log(`  database after the run: ${JSON.stringify(r.rows[0])}`);
      });
    }

    if (args.only.includes('peer')) {
      const origin = `http://127.0.0.1:${PORTS.peer}`;
      log('peer: Better Auth organization plugin');
      const server = await startServer({
        name: 'peer', args: ['--import', 'tsx', path.join(HERE, 'peer/server.ts')], port: PORTS.peer, readyPath: '/readyz',
        env: { NODE_ENV: 'production', DATABASE_URL: seeded.peerUrl, AUTH_SECRET: SECRET, PUBLIC_URL: origin },
      });
      try {
        const headers = { cookie: `better-auth.session_token=${signedCookieValue(sessionToken(MAIN_DEV), SECRET)}` };
        pagination['peer.companies'] = await walk(server, '/api/auth/organization/list', headers);
        log(`  peer organization/list returns ${pagination['peer.companies'].items} organizations`);
        results.push(...await measure('peer', server, peerOps(scale, origin, SECRET), args, checks, { ceiling }));
      } finally {
        await server.stop();
      }
      await withClient(seeded.peerUrl, async (c) => {
        const r = await c.query(`SELECT
          (SELECT count(*)::int FROM invitation WHERE status = 'accepted') AS accepted,
          (SELECT count(*)::int FROM invitation WHERE status = 'pending' AND email LIKE 'ba-invite-%') AS invited`);
        checks['peer.db'] = r.rows[0];
        log(`  database after the run: ${JSON.stringify(r.rows[0])}`);
      });
    }

  } finally {
    await ceiling?.stop();
  }

  return {
    date: new Date().toISOString(), scale: scale.name, processes: args.processes, connections: args.connections, measureSeconds: args.seconds, rounds: args.rounds,
    code, machine: { ...await machine(base), loadavgBefore: loadBefore }, seed: { seconds: seeded.seconds, ours: seeded.ours, peer: seeded.peer },
    pagination, results, ratios: ratios(results), explain, checks, ...(cpuProfile ? { cpuProfile } : {}), totalSeconds: (performance.now() - started) / 1000,
  };
}

/**
 * `--billing` (issue 12): seeds (or reuses) our data set, puts last month back to "not invoiced",
 * starts our server and measures the monthly run against it (bench/billing.ts).
 */
async function runBilling(base: string, scale: Scale, args: Args) {
  const started = performance.now();
  const code = codeVersion();
  const loadBefore = os.loadavg().map((v) => Number(v.toFixed(2)));
  const oursUrl = urlFor(base, `bench_ours_${scale.name}`);
  let seedSeconds = 0;
  let seedCounts: Record<string, number> = {};
  if (args.skipSeed) {
    log(`reusing seeded database bench_ours_${scale.name}`);
  } else {
    const t0 = performance.now();
    log(`seeding ${scale.name} (ours only): ${scale.accounts.toLocaleString()} Accounts, ${scale.companies.toLocaleString()} Companies, ${scale.apps.toLocaleString()} Apps`);
    await recreateDatabase(base, `bench_ours_${scale.name}`);
    const database = await openDatabase({ databaseUrl: oursUrl, poolSize: 2 });
    try {
      await database.migrate();
    } finally {
      await database.close();
    }
    seedCounts = await withClient(oursUrl, (c) => seedOurs(c, scale, log));
    seedSeconds = (performance.now() - t0) / 1000;
  }
  const month = lastMonth();
  log(`billing: putting ${month} back to "not invoiced" (invoices, payments, their mails and events deleted)`);
  await resetMonth(oursUrl, month);
  const origin = `http://127.0.0.1:${PORTS.ours}`;
  const server = await startServer({
    name: 'ours', args: ['--import', 'tsx', path.join(ROOT, 'src/server/main.ts')], port: PORTS.ours, readyPath: '/readyz',
    env: { SKIP_WEB_BUILD: '1', DATABASE_URL: oursUrl, AUTH_SECRET: SECRET, PUBLIC_URL: origin, LOG_LEVEL: 'warn', DATA_DIR: path.join(os.tmpdir(), 'dashboard-bench-data') },
  });
  let billing: BillingResult;
  try {
    billing = await benchMonthlyRun(
      { url: oursUrl, root: ROOT, secret: SECRET, connections: args.connections, seconds: args.seconds, pdfSample: args.billing!.pdfs, mailWaitSeconds: args.billing!.mailWaitSeconds, log },
      server, ourOps(scale, origin, SECRET), month,
    );
  } finally {
    await server.stop();
  }
  return {
    date: new Date().toISOString(), scale: scale.name, connections: args.connections, measureSeconds: args.seconds, code,
    machine: { ...await machine(base), loadavgBefore: loadBefore }, seed: { seconds: seedSeconds, ours: seedCounts }, billing,
    totalSeconds: (performance.now() - started) / 1000,
  };
}

function latestOther(scale: ScaleName, processes: number): RunResult | null {
  try {
    const files = readdirSync(RESULTS).filter((f) => f.endsWith(`-${scale}-p${processes}.json`)).sort().reverse();
    for (const f of files) {
      const run = JSON.parse(readFileSync(path.join(RESULTS, f), 'utf8')) as RunResult;
      // Only complete runs (ours measured through accept), not --only or --skip-seed partials.
      if (run.results.some((r) => r.system === 'ours' && r.op === 'accept')) return run;
    }
    return null;
  } catch {
    return null;
  }
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`npm run bench: ${err.message}\n\n${USAGE}`);
    process.exit(2);
  }
  const base = process.env.DATABASE_URL;
  if (!base) {
    console.error('DATABASE_URL is required, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench -- --scale 10k');
    process.exit(2);
  }
  PORTS = { ours: args.portBase, peer: args.portBase + 1, ceiling: args.portBase + 2 };
  mkdirSync(RESULTS, { recursive: true });
  const runs: Partial<Record<ScaleName, RunResult>> = {};
  if (args.billing) {
    for (const name of args.scales) {
      const run = await runBilling(base, SCALES[name], args);
      const file = path.join(RESULTS, `${run.date.slice(0, 16).replace(':', '')}-${name}-billing.json`);
      writeFileSync(file, JSON.stringify(run, null, 2) + '\n');
      console.log(`\nThe monthly invoice run of ${run.billing.month}, scale ${name} (${run.totalSeconds.toFixed(0)} s in all):\n`);
      console.log(billingTable(name, run.billing));
      if (run.billing.run.exitCode !== 0) console.log(`\nThe billing command exited with ${run.billing.run.exitCode}; its output is in the JSON.`);
      console.log(`Results: ${path.relative(ROOT, file)}`);
    }
    return;
  }
  for (const name of args.scales) {
    const run = await runScale(base, SCALES[name], args);
    runs[name] = run;
    const file = path.join(RESULTS, `${run.date.slice(0, 16).replace(':', '')}-${name}-p${args.processes}.json`);
    writeFileSync(file, JSON.stringify(run, null, 2) + '\n');
    console.log(`\nScale ${name}, ${args.processes} process(es), ${args.connections} connections, ${args.seconds} s per operation (${run.totalSeconds!.toFixed(0)} s in all):\n`);
    console.log(table(run));
    const p = run.pagination;
    if (p['ours.companies']) console.log(`\nAll of "my Companies": ${p['ours.companies'].items} in ${p['ours.companies'].requests} request(s) of up to ${p['ours.companies'].pageSize}; my Apps: ${p['ours.apps']?.items} in ${p['ours.apps']?.requests}.`);
    if (p['peer.companies']) console.log(`Peer organization/list: ${p['peer.companies'].items} organizations in one request.`);
    const slowest = [...run.explain].sort((a, b) => b.executionMs - a.executionMs)[0];
    if (slowest) console.log(`Slowest hot query: ${slowest.name}, ${slowest.executionMs.toFixed(2)} ms (plan in the JSON).`);
    for (const m of run.results.filter((r) => r.serial)) {
      console.log(`One at a time (1 connection, after the run): ${m.system} ${m.op} p50 ${m.serial!.p50.toFixed(1)} ms, p99 ${m.serial!.p99.toFixed(1)} ms over ${m.serial!.requests} requests.`);
    }
    console.log(`Results: ${path.relative(ROOT, file)}`);
  }
  const small = runs['10k'] ?? latestOther('10k', args.processes);
  const large = runs['1m'] ?? latestOther('1m', args.processes);
  if (small && large) {
    console.log(`\nLatency and throughput from 10k to 1M (1M over 10k; runs of ${small.date.slice(0, 16)} and ${large.date.slice(0, 16)}):\n`);
    console.log(scaleTable(small, large));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
