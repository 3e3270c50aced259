import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/server/db/client.js';
import { withDatabase } from './dbUrl.js';

/**
 * Migrates one template database per test run; every test file then gets a copy
 * (a copied PGlite directory, or CREATE DATABASE … TEMPLATE on PostgreSQL).
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `dash_tmpl_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const database = await openDatabase({ databaseUrl: withDatabase(url, name), poolSize: 2 });
    await database.migrate();
    await database.close();
    project.provide('templateDatabase', name);
    return async () => {
      const rows = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'dash_t%_${process.pid}_%'`);
      for (const row of rows.rows) await admin.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`).catch(() => {});
      await admin.end();
    };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dash-tmpl-'));
  const database = await openDatabase({ databaseUrl: null, pgliteDir: dir, noLock: true });
  await database.migrate();
  await database.close();
  project.provide('templateDatabase', dir);
  return async () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext { templateDatabase: string }
}
