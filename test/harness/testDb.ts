import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/server/db/client.js';
import { withDatabase } from './dbUrl.js';

export const onPostgres = Boolean(process.env.DATABASE_URL);

/** A fresh, migrated database for one test file, copied from the run's template. */
export async function freshDatabase(poolSize = 10): Promise<Database> {
  const template = inject('templateDatabase');
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `dash_t${Math.random().toString(36).slice(2, 10)}_${template.split('_')[2]}_x`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    } finally {
      await admin.end();
    }
    const database = await openDatabase({ databaseUrl: withDatabase(url, name), poolSize });
    const close = database.close;
    database.close = async () => {
      await close();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await cleanup.end();
    };
    return database;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dash-test-'));
  cpSync(template, dir, { recursive: true });
  const database = await openDatabase({ databaseUrl: null, pgliteDir: dir, noLock: true });
  const close = database.close;
  database.close = async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  };
  return database;
}
