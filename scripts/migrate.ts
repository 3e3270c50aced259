import path from 'node:path';
import { loadConfig } from '../src/server/config.js';
import { openDatabase } from '../src/server/db/client.js';
import { exitOnError } from '../src/server/exitCodes.js';

/** `npm run migrate`: applies the migrations to DATABASE_URL, or to the embedded database in DATA_DIR. */
async function migrate() {
  const config = loadConfig(process.env, { serving: false });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: path.join(config.dataDir, 'pglite') });
  try {
    await database.migrate();
    console.log(`Migrations applied (${database.kind === 'postgres' ? 'PostgreSQL' : `embedded database in ${config.dataDir}`}).`);
  } finally {
    await database.close();
  }
}

migrate().catch(exitOnError({ lockedHint: 'Stop the server first: it migrates at every start anyway.' }));
