import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from '../../src/server/db/schema.js';
import type { Db } from '../../src/server/db/client.js';
import { findActorBySessionToken } from '../../src/server/modules/accounts/session.js';
import { appsRepo } from '../../src/server/modules/apps/repo.js';
import { companiesRepo } from '../../src/server/modules/companies/repo.js';
import { invitationsRepo } from '../../src/server/modules/invitations/repo.js';
import { systemClock } from '../../src/server/shared/clock.js';
import { hashToken } from '../../src/server/shared/ids.js';
import { acceptToken, accountId, companyId, MAIN_DEV, MEMBERS_COMPANY, sessionToken } from '../shape.js';

export interface Explained { name: string; sql: string; executionMs: number; plan: string }

/**
 * The hot queries exactly as the server builds them: the real repo functions run on a
 * Drizzle instance over a pool whose `query` captures SQL and parameters (Drizzle's and
 * the named statements sent past it), then each is run under EXPLAIN (ANALYZE, BUFFERS)
 * a few times (the last, warm run is kept).
 */
export async function explainHotQueries(databaseUrl: string): Promise<Explained[]> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  let captured: { sql: string; params: unknown[] }[] = [];
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  (pool as unknown as { query: unknown }).query = (config: unknown, values?: unknown) => {
    const c = typeof config === 'string' ? { text: config } : config as { text: string; values?: unknown[] };
    if (!/^\s*EXPLAIN/i.test(c.text)) captured.push({ sql: c.text, params: Array.isArray(values) ? values : c.values ?? [] });
    return values === undefined ? query(config) : query(config, values);
  };
  const db = drizzle(pool, { schema }) as unknown as Db;
  const me = accountId(MAIN_DEV);
  const cases: [string, () => Promise<unknown>][] = [
    ['session lookup (every authenticated request)', () => findActorBySessionToken(db, sessionToken(MAIN_DEV), systemClock)],
    ['my Companies, first page of 500', () => companiesRepo.listForAccount(db, me, null, 501)],
    ['my Apps, first page of 500', () => appsRepo.mine(db, me, null, 501)],
    ['membership check (Company access)', () => companiesRepo.access(db, me, companyId(MEMBERS_COMPANY))],
    ['members of a Company', () => companiesRepo.members(db, companyId(MEMBERS_COMPANY), null, 501)],
    ['members of a Company with the caller\'s access (the route\'s one query)', () => companiesRepo.membersForCaller(db, me, companyId(MEMBERS_COMPANY), null, 501)],
    ['invitation by token hash', () => invitationsRepo.byTokenHash(db, hashToken(acceptToken(1)))],
  ];
  const out: Explained[] = [];
  try {
    for (const [name, run] of cases) {
      captured = [];
      await run();
      // A repo function may run more than one statement (my Apps: the trial App, then the page).
      const queries = captured;
      for (const [i, query] of queries.entries()) {
        let plan = '';
        for (let round = 0; round < 3; round++) {
          const result = await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${query.sql}`, query.params);
          plan = result.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
        }
        const ms = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN);
        out.push({ name: queries.length > 1 ? `${name} (statement ${i + 1} of ${queries.length})` : name, sql: query.sql, executionMs: ms, plan });
      }
    }
  } finally {
    await pool.end();
  }
  return out;
}
