import pg from 'pg';
import type { Logger } from 'pino';
import type { Database } from '../db/client.js';
import type { Actor } from '../modules/accounts/session.js';

/** How long a cached identity may answer a read at most (SPEC 7: "a short-lived signed cache"; ADR 0116). */
export const IDENTITY_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;
/** The channel the triggers of migration 0017 notify on every change to a session or an Account. */
export const ACTOR_CHANGED = 'actor_changed';
/** The listening connection's application_name (pg_stat_activity). */
export const LISTENER_NAME = 'dashboard identity listener';

interface Entry { actor: Actor; until: number }

/**
 * Who a session token belongs to, for reads (issue 14, ADR 0116). An authenticated GET finds
 * its caller here instead of in the database while the entry is young (at most
 * `IDENTITY_TTL_MS`, never past the session's expiry); every change (any other method, and
 * everything under /api/auth/) reads the session from the database and empties the cache
 * when it is answered. Changes made by other processes (a sign-out on the other server, an
 * operator command) empty it through PostgreSQL's NOTIFY at their commit; while this process
 * is not listening (starting, or its listening connection lost), nothing is cached.
 *
 * Only the identity is cached: what a caller may see or do (memberships, roles) is read with
 * the data on every request, so a dismissed member is refused on the next request.
 */
export class IdentityCache {
  private entries = new Map<string, Entry>();
  /** Bumped by every `clear`: a lookup that started before a clear must not fill the cache after it. */
  private generation = 0;
  private listening = false;

  /** The cached identity of `token` at `nowMs`, or null (none, expired, or not listening). */
  get(token: string, nowMs: number): Actor | null {
    const entry = this.entries.get(token);
    if (!entry) return null;
    if (entry.until <= nowMs) {
      this.entries.delete(token);
      return null;
    }
    return entry.actor;
  }

  /** Call before reading the session from the database; pass the result to `set`. */
  begin(): number {
    return this.generation;
  }

  /** Caches a lookup that started at `generation`, unless the cache was emptied since. */
  set(token: string, actor: Actor, generation: number, nowMs: number, expiresAtMs: number): void {
    if (!this.listening || generation !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(token, { actor, until: Math.min(nowMs + IDENTITY_TTL_MS, expiresAtMs) });
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  /** Whether entries may be kept (the process hears other processes' changes). */
  setListening(on: boolean): void {
    if (!on) this.clear();
    this.listening = on;
  }

  get size(): number {
    return this.entries.size;
  }
}

export interface IdentityListener {
  /** Resolves once every notification committed before the call has been handled. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Listens for `actor_changed` and empties the cache on each. On PostgreSQL a connection of its
 * own (not from the pool), reconnected after a second when lost; the cache keeps nothing in
 * between. On PGlite (one process) the database's own listener.
 */
export async function listenForActorChanges(database: Database, cache: IdentityCache, log: Logger): Promise<IdentityListener> {
  if (database.kind === 'pglite' && database.pglite) {
    const pglite = database.pglite;
    const unlisten = await pglite.listen(ACTOR_CHANGED, () => cache.clear());
    cache.setListening(true);
    return {
      sync: async () => { await pglite.query('SELECT 1'); },
      close: async () => {
        cache.setListening(false);
        await unlisten().catch(() => { /* closed with the database */ });
      },
    };
  }
  // The pool's own settings (the database of a test copy, too); without them nothing is cached.
  const settings = database.pool?.options;
  if (!settings?.connectionString) return { sync: async () => {}, close: async () => {} };
  const databaseUrl = settings.connectionString;
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: databaseUrl, application_name: LISTENER_NAME });
    const lost = (err?: Error) => {
      if (client !== next) return;
      client = null;
      cache.setListening(false);
      next.end().catch(() => { /* already gone */ });
      if (closed) return;
      log.warn({ err }, 'identity cache: the listening connection was lost; reading every session from the database until it is back');
      retry = setTimeout(() => { void connect(); }, 1_000);
      retry.unref();
    };
    next.on('notification', () => cache.clear());
    next.on('error', lost);
    next.on('end', () => lost());
    try {
      await next.connect();
      await next.query(`LISTEN ${ACTOR_CHANGED}`);
      if (closed) {
        await next.end();
        return;
      }
      client = next;
      cache.setListening(true);
    } catch (err) {
      next.removeAllListeners('end');
      await next.end().catch(() => { /* never connected */ });
      if (closed) return;
      retry = setTimeout(() => { void connect(); }, 1_000);
      retry.unref();
      log.warn({ err }, 'identity cache: cannot listen for session changes; retrying in a second');
    }
  };
  await connect();
  return {
    // A round trip on the listening connection: PostgreSQL sends the notifications committed
    // before it ahead of the answer, and pg hands them out as it reads, in order.
    sync: async () => { if (client) await client.query('SELECT 1'); },
    close: async () => {
      closed = true;
      if (retry) clearTimeout(retry);
      cache.setListening(false);
      const c = client;
      client = null;
      if (c) await c.end().catch(() => { /* already gone */ });
    },
  };
}
