import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { expectedMigrationCount, isReady, openDatabase } from '../../../src/server/db/client.js';
import { withDatabase } from '../../harness/dbUrl.js';
import { onPostgres } from '../../harness/testDb.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const url = process.env.DATABASE_URL ?? '';

/** An empty database (no migrations), dropped with the run's other test databases. */
async function emptyDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const pid = inject('templateDatabase').split('_')[2];
  const name = `dash_tmig${Math.random().toString(36).slice(2, 10)}_${pid}_x`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: withDatabase(url, name),
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await c.end();
    },
  };
}

function runMigrator(databaseUrl: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/migrate.ts'], {
      cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl, DATA_DIR: '/nonexistent-dashboard-data', AUTH_SECRET: 'x'.repeat(40) },
    });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe.skipIf(!onPostgres)('migrations under an advisory lock (issue 9, defect 5)', { timeout: 120_000 }, () => {
  it('two migrators starting at once on an empty database both succeed, three times over', async () => {
    for (let round = 0; round < 3; round++) {
      const target = await emptyDatabase();
      const a = await openDatabase({ databaseUrl: target.url, poolSize: 2 });
      const b = await openDatabase({ databaseUrl: target.url, poolSize: 2 });
      try {
        const results = await Promise.allSettled([a.migrate(), b.migrate()]);
        expect(results.map((r) => r.status === 'rejected' ? String(r.reason?.cause ?? r.reason) : 'ok')).toEqual(['ok', 'ok']);
        expect(await isReady(a.db)).toBe(true);
        const applied = await a.pool!.query('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations');
        expect(applied.rows[0].n).toBe(expectedMigrationCount()); // each migration applied once
      } finally {
        await a.close();
        await b.close();
        await target.drop();
      }
    }
  });

  it('two `npm run migrate` processes started at once on an empty database both exit 0', async () => {
    const target = await emptyDatabase();
    try {
      const [one, two] = await Promise.all([runMigrator(target.url), runMigrator(target.url)]);
      expect([one.code, two.code], one.output + two.output).toEqual([0, 0]);
      expect(one.output).toContain('Migrations applied');
    } finally {
      await target.drop();
    }
  });
});
