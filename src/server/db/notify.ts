import pg from 'pg';
import type { Logger } from 'pino';
import type { Database } from './client.js';

export interface ChannelListener {
  /** Resolves once every notification committed before the call has been handled. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface ChannelHandlers {
  onNotify(): void;
  /** Whether notifications are heard now (false from a lost connection until it is back). */
  onListening(on: boolean): void;
}

/** The listening connection's application_name (pg_stat_activity). */
export const LISTENER_NAME = 'dashboard identity listener';

/**
 * LISTENs on `channel`. On PostgreSQL a connection of its own (not from the pool),
 * reconnected after a second when lost (`onListening(false)` in between). On PGlite (one
 * process) the database's own listener.
 */
export async function listenOnChannel(database: Database, channel: string, handlers: ChannelHandlers, log: Logger): Promise<ChannelListener> {
  if (database.kind === 'pglite' && database.pglite) {
    const pglite = database.pglite;
    const unlisten = await pglite.listen(channel, () => handlers.onNotify());
    handlers.onListening(true);
    return {
      sync: async () => { await pglite.query('SELECT 1'); },
      close: async () => {
        handlers.onListening(false);
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
      handlers.onListening(false);
      next.end().catch(() => { /* already gone */ });
      if (closed) return;
      log.warn({ err }, `listening on ${channel}: the connection was lost; reconnecting in a second`);
      retry = setTimeout(() => { void connect(); }, 1_000);
      retry.unref();
    };
    next.on('notification', () => handlers.onNotify());
    next.on('error', lost);
    next.on('end', () => lost());
    try {
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      if (closed) {
        await next.end();
        return;
      }
      client = next;
      handlers.onListening(true);
    } catch (err) {
      next.removeAllListeners('end');
      await next.end().catch(() => { /* never connected */ });
      if (closed) return;
      retry = setTimeout(() => { void connect(); }, 1_000);
      retry.unref();
      log.warn({ err }, `cannot listen on ${channel}; retrying in a second`);
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
      handlers.onListening(false);
      const c = client;
      client = null;
      if (c) await c.end().catch(() => { /* already gone */ });
    },
  };
}
