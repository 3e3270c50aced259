/**
 * `npm run bench:git [-- --clones N]`: git over SSH on loopback (SPEC 7: a clone of a small
 * repository ≤ 1 s; the access decision one indexed query). Starts the SSH server on a free
 * port against a fresh embedded database (or DATABASE_URL's server, in a throw-away
 * database), pushes a small repository, clones it N times with the real git and ssh clients,
 * and prints the times and the access query's plan. A benchmark: it prints, never fails on time.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import ssh2 from 'ssh2';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/server/config.js';
import { openDatabase } from '../src/server/db/client.js';
import { accounts, apps, sshKeys } from '../src/server/db/schema.js';
import { deploymentsRepo } from '../src/server/modules/deployments/repo.js';
import { parseSshPublicKey } from '../src/server/modules/accounts/sshKeyFormat.js';
import { createServices } from '../src/server/services.js';
import { startSshServer } from '../src/server/ssh/server.js';
import { recreateDatabase, urlFor } from './lib/db.js';

const clonesArg = process.argv.indexOf('--clones');
const CLONES = clonesArg > 0 ? Number(process.argv[clonesArg + 1]) : 20;
const dir = mkdtempSync(path.join(os.tmpdir(), 'dash-bench-git-'));
// Asynchronous on purpose: the SSH server runs in this process, a synchronous spawn would block it.
const run = promisify(execFile);
const sh = async (cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) => (await run(cmd, args, opts)).stdout;

async function main() {
  const base = process.env.DATABASE_URL;
  let databaseUrl: string | null = null;
  if (base) {
    await recreateDatabase(base, 'bench_git');
    databaseUrl = urlFor(base, 'bench_git');
  }
  const database = await openDatabase({ databaseUrl, pgliteDir: path.join(dir, 'pglite') });
  await database.migrate();
  const config = loadConfig({ DATA_DIR: path.join(dir, 'data'), REPOS_DIR: path.join(dir, 'repos'), AUTH_SECRET: 'bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz', SSH_PORT: '0' });
  const services = await createServices(config, { database, log: pino({ level: 'warn' }) });
  const ssh = await startSshServer(services, { port: 0, host: '127.0.0.1' });
  try {
    const keyFile = path.join(dir, 'id_ed25519');
    await sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile]);
    const key = parseSshPublicKey(readFileSync(`${keyFile}.pub`, 'utf8'));
    const now = new Date();
    await database.db.insert(accounts).values({ id: 'acc_bench', email: 'bench@example.com', name: 'Bench', emailVerified: true, firstName: 'Bench', lastName: 'Mark' });
    await database.db.insert(sshKeys).values({ id: 'key_bench', accountId: 'acc_bench', title: 'bench', publicKey: key.canonical, keyType: key.type, bits: key.bits, fingerprint: key.fingerprint });
    await database.db.insert(apps).values({ id: 'app_bench', name: 'bench-app', region: 'eu1', status: 'trial', trialAccountId: 'acc_bench', createdBy: 'acc_bench', plan: {}, trialEndsAt: new Date(now.getTime() + 86_400_000) });

    const parsed = ssh2.utils.parseKey(services.ssh.hostKey().privateKey);
    if (parsed instanceof Error || Array.isArray(parsed)) throw new Error('host key');
    const knownHosts = path.join(dir, 'known_hosts');
    writeFileSync(knownHosts, `[127.0.0.1]:${ssh.port} ${parsed.type} ${parsed.getPublicSSH().toString('base64')}\n`);
    mkdirSync(path.join(dir, 'home'));
    const env = {
      PATH: process.env.PATH, HOME: path.join(dir, 'home'), GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@example.com',
      GIT_SSH_COMMAND: `ssh -F /dev/null -i ${keyFile} -o IdentitiesOnly=yes -o IdentityAgent=none -o BatchMode=yes -o UserKnownHostsFile=${knownHosts} -o StrictHostKeyChecking=yes`,
    };
    const url = `ssh://git@127.0.0.1:${ssh.port}/bench-app.git`;
    const work = path.join(dir, 'work');
    await sh('git', ['clone', '-q', url, work], { env });
    for (let i = 0; i < 20; i++) writeFileSync(path.join(work, `page${i}.php`), `<?php echo "page ${i}";\n`.repeat(50));
    await sh('git', ['add', '.'], { cwd: work, env });
    await sh('git', ['commit', '-q', '-m', 'small site'], { cwd: work, env });
    await sh('git', ['push', '-q', 'origin', 'HEAD:main'], { cwd: work, env });

    const times: number[] = [];
    for (let i = 0; i < CLONES; i++) {
      const target = path.join(dir, `clone${i}`);
      const started = process.hrtime.bigint();
      await sh('git', ['clone', '-q', url, target], { env });
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      rmSync(target, { recursive: true, force: true });
    }
    times.sort((a, b) => a - b);
    const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
    console.log(`git clone over SSH on loopback (20 files, ${database.kind}), ${CLONES} clones, one after another:`);
    console.log(`  median ${pct(0.5).toFixed(0)} ms, p90 ${pct(0.9).toFixed(0)} ms, max ${times[times.length - 1].toFixed(0)} ms (target: ≤ 1000 ms)`);

    const row = await deploymentsRepo.codeAccess(database.db, 'key_bench', key.fingerprint, 'bench-app');
    console.log(`access decision for the bench key: ${row?.app_id ? 'App found' : 'no App'}, ${row?.role ?? (row?.trial_account_id === 'acc_bench' ? 'trial creator' : 'no role')}`);
    const plan = await database.db.execute(sql`EXPLAIN ANALYZE
      SELECT k.account_id, a.id, m.role, (ca.app_id IS NOT NULL) AS assigned FROM ssh_keys k
      JOIN accounts acc ON acc.id = k.account_id
      LEFT JOIN apps a ON a.name = ${'bench-app'} AND a.status <> 'deleted'
      LEFT JOIN companies c ON c.id = a.company_id AND c.deleted_at IS NULL
      LEFT JOIN memberships m ON m.company_id = c.id AND m.account_id = k.account_id
      LEFT JOIN collaborator_apps ca ON ca.company_id = m.company_id AND ca.account_id = m.account_id AND ca.app_id = a.id
      WHERE k.fingerprint = ${key.fingerprint} AND k.id = ${'key_bench'}`);
    console.log('the access query (EXPLAIN ANALYZE; on a near-empty database the planner may prefer scans):');
    for (const r of plan.rows as Record<string, string>[]) console.log(`  ${r['QUERY PLAN']}`);
  } finally {
    await ssh.close();
    await services.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
