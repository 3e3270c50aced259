import path from 'node:path';
import { ConfigError, loadConfig } from '../src/server/config.js';
import { describeDatabaseError, openDatabase } from '../src/server/db/client.js';
import { DataDirLockedError } from '../src/server/db/lock.js';

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

migrate().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(`Configuration error: ${err.message}`);
    process.exit(2);
  }
  if (err instanceof DataDirLockedError) {
    console.error(`${err.message} Stop the server first: it migrates at every start anyway.`);
    process.exit(3);
  }
  const database = describeDatabaseError(err, process.env.DATABASE_URL);
  if (database) {
    console.error(database);
    process.exit(5);
  }
  console.error(err);
  process.exit(1);
});
