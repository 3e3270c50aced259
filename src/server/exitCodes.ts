import { ConfigError } from './config.js';
import { describeDatabaseError } from './db/client.js';
import { DataDirLockedError } from './db/lock.js';

/**
 * The exit codes of docs/decisions/0023-start-up-checks.md, shared by the server and the
 * operator commands: 2 configuration (or a command's own refusal), 3 embedded database in
 * use, 4 port taken, 5 database unreachable or refusing, 6 web build, 1 anything else.
 * Known failures print one sentence for a person, never a stack trace.
 */
export interface ExitOptions {
  /** What to do when the embedded database is in use, appended to the lock's message. */
  lockedHint: string;
  /** Further known errors of the caller: their message is printed with this exit code. */
  known?: { is: (err: unknown) => boolean; code: number }[];
}

export function exitCodeFor(err: unknown, opts: ExitOptions): { code: number; message: unknown } {
  if (err instanceof ConfigError) {
    const lines = err.message.split('\n');
    return { code: 2, message: lines.length === 1 ? `Configuration error: ${lines[0]}` : `Configuration errors:\n${lines.map((l) => `  - ${l}`).join('\n')}` };
  }
  if (err instanceof DataDirLockedError) return { code: 3, message: `${err.message} ${opts.lockedHint}` };
  for (const known of opts.known ?? []) {
    if (known.is(err)) return { code: known.code, message: (err as Error).message };
  }
  const database = describeDatabaseError(err, process.env.DATABASE_URL);
  if (database) return { code: 5, message: database };
  return { code: 1, message: err };
}

/** Prints the failure as `exitCodeFor` describes it and ends the process. */
export function exitOnError(opts: ExitOptions): (err: unknown) => never {
  return (err: unknown) => {
    const { code, message } = exitCodeFor(err, opts);
    console.error(message);
    process.exit(code);
  };
}
