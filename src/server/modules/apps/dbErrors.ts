/**
 * Whether an error (from pg or PGlite, possibly wrapped by Drizzle) is a unique violation,
 * optionally of one named constraint or index.
 */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, constraint: name, message } = e as { code?: string; constraint?: string; message?: string };
    if (code === '23505') return !constraint || name === constraint || (message ?? '').includes(constraint);
  }
  return false;
}
