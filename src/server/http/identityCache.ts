import type { Logger } from 'pino';
import type { Database } from '../db/client.js';
import { listenOnChannel, type ChannelListener } from '../db/notify.js';
import type { Actor } from '../modules/accounts/session.js';

/** How long a cached identity may answer a read at most (SPEC 7: "a short-lived signed cache"; ADR 0116). */
export const IDENTITY_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;
/** The channel the triggers of migration 0017 notify on every change to a session or an Account. */
export const ACTOR_CHANGED = 'actor_changed';

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

export type IdentityListener = ChannelListener;

/** Empties `cache` on every `actor_changed`; keeps nothing while not listening (ADR 0116). */
export function listenForActorChanges(database: Database, cache: IdentityCache, log: Logger): Promise<IdentityListener> {
  return listenOnChannel(database, ACTOR_CHANGED, { onNotify: () => cache.clear(), onListening: (on) => cache.setListening(on) }, log);
}
