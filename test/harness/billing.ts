import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestApp } from './testApp.js';

/** Billing test helpers (issue 12). */

/** The text of a PDF, read back with Debian's pdftotext (poppler-utils); fails when the tool is missing. */
export function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pdf-'));
  try {
    const file = path.join(dir, 'invoice.pdf');
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `fn` with the clock at `at`, and puts it back afterwards (docs/testing.md: clock moves sit in try/finally). */
export async function atTime<T>(t: TestApp, at: string, fn: () => Promise<T>): Promise<T> {
  t.clock.set(new Date(at));
  try {
    return await fn();
  } finally {
    t.clock.reset();
  }
}
