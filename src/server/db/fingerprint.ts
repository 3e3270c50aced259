/**
 * A list read that also says whether the list changed (issue 14, ADR 0120).
 *
 * `fingerprintedQuery` wraps a list's SELECT in one statement that first computes the list's
 * fingerprint (an md5 over everything the page shows, from the same snapshot as the rows)
 * and returns it as a first, header row; the list's rows follow only when the fingerprint
 * differs from the one the caller already knows (`$known`). The fingerprint may read the
 * list itself (`d`, for a list that is cheap to read and dear to send) or only what the list
 * depends on; in the second case PostgreSQL does not run the list at all when it is unchanged
 * (a gating one-time filter). One round trip either way, so the statement budget of the route
 * does not change. The fingerprint must never be NULL.
 */
export function fingerprintedQuery(fingerprintSql: string, listSql: string, knownParam: number): string {
  return `WITH d AS (${listSql}), fp AS MATERIALIZED (SELECT (${fingerprintSql}) AS v)
SELECT fp.v AS fingerprint, e.* FROM fp LEFT JOIN (SELECT * FROM d LIMIT 0) e ON false
UNION ALL
SELECT NULL, d.* FROM d WHERE (SELECT v FROM fp) IS DISTINCT FROM $${knownParam}::text`;
}

export interface Fingerprinted<R> {
  fingerprint: string;
  /** The list's rows, or null when its fingerprint is the one the caller knew. */
  rows: R[] | null;
}

/** Splits the header row (the fingerprint) from the list's rows. */
export function splitFingerprinted<R>(rows: (R & { fingerprint: string | null })[], known: string | null): Fingerprinted<R> {
  const header = rows.find((r) => r.fingerprint !== null);
  if (!header?.fingerprint) throw new Error('fingerprinted list: no header row');
  if (known !== null && header.fingerprint === known) return { fingerprint: header.fingerprint, rows: null };
  // The header comes first (the first branch of a UNION ALL); the rows keep the list's order.
  return { fingerprint: header.fingerprint, rows: rows[0] === header ? rows.slice(1) : rows.filter((r) => r !== header) };
}
