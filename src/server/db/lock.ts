import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export interface DataDirLock { release(): void }

/** The message says who holds the lock; each caller adds what helps in its situation. */
export class DataDirLockedError extends Error {
  constructor(readonly dir: string, readonly pid: number | null) {
    super(pid ? `The embedded database in ${dir} is in use by another process (pid ${pid}).` : `Could not lock the embedded database in ${dir}.`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite serves one process: a second process on the same DATA_DIR would corrupt it.
 * An exclusive lock file holding our pid refuses the second one with a clear message;
 * a lock left by a process that died is taken over.
 */
export function acquireDataDirLock(dir: string): DataDirLock {
  const file = path.join(dir, 'dashboard.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return { release: () => rmSync(file, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (pid && pid !== process.pid && alive(pid)) {
        throw new DataDirLockedError(dir, pid);
      }
      rmSync(file, { force: true });
    }
  }
  throw new DataDirLockedError(dir, null);
}
