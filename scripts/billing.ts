import path from 'node:path';
import pino from 'pino';
import { ConfigError, loadConfig } from '../src/server/config.js';
import { describeDatabaseError, openDatabase } from '../src/server/db/client.js';
import { DataDirLockedError } from '../src/server/db/lock.js';
import { billingCommand, IncompleteRunError, parseBillingArgs, UsageError } from '../src/server/cli/billingCommand.js';
import { createServices } from '../src/server/services.js';

/** `npm run billing -- run --month 2026-11` and `npm run billing -- credit INV-2026-000042 --reason "…"`. */
async function main() {
  const config = loadConfig(process.env, { serving: false });
  // Bad arguments and a month that is not over are refused before the database is opened or anything is printed.
  parseBillingArgs(process.argv.slice(2), new Date());
  const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: path.join(config.dataDir, 'pglite') });
  const services = await createServices(config, { database, log: pino({ level: process.env.LOG_LEVEL || 'warn' }) });
  try {
    await database.migrate();
    await billingCommand(process.argv.slice(2), services, (line) => console.log(line));
  } finally {
    await services.close();
  }
}

main().catch((err: unknown) => {
  if (err instanceof UsageError) {
    console.error(err.message);
    process.exit(2);
  }
  if (err instanceof IncompleteRunError) {
    console.error(err.message);
    process.exit(4);
  }
  if (err instanceof ConfigError) {
    console.error(`Configuration error: ${err.message}`);
    process.exit(2);
  }
  if (err instanceof DataDirLockedError) {
    console.error(`${err.message} Stop the server first, or run the command against PostgreSQL (DATABASE_URL) where server and command can share the database.`);
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
