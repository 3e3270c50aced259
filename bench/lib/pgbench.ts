import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoadResult } from './load.js';

/**
 * The database's own ceiling for the hot path: the session lookup query, prepared, run by
 * pgbench with the same number of clients. Null when pgbench is not installed.
 */
export function pgbenchSessionLookup(databaseUrl: string, token: string, clients: number, seconds: number): LoadResult | null {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-pgbench-'));
  const script = path.join(dir, 'session.sql');
  writeFileSync(script, `SELECT s.id, a.id, a.email, a.email_verified, a.first_name, a.last_name, a.account_type, a.newsletter
    FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.token = '${token}' AND s.expires_at > now();\n`);
  const run = spawnSync('pgbench', ['-n', '-M', 'prepared', '-c', String(clients), '-j', '2', '-T', String(seconds), '-f', script, databaseUrl], { encoding: 'utf8' });
  if (run.error || run.status !== 0) return null;
  const tps = Number(/tps = ([\d.]+)/.exec(run.stdout)?.[1] ?? NaN);
  const latency = Number(/latency average = ([\d.]+) ms/.exec(run.stdout)?.[1] ?? NaN);
  const transactions = Number(/number of transactions actually processed: (\d+)/.exec(run.stdout)?.[1] ?? 0);
  // pgbench reports the mean latency only: shown as p50, p99 unknown.
  return { requests: transactions, rps: tps, p50: latency, p99: NaN, non2xx: 0, errors: 0, seconds };
}
