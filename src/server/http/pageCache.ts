import type { FastifyReply } from 'fastify';

/** At most this many bytes of rendered pages per server process (about 270 pages of 500 Apps). */
export const PAGE_CACHE_BYTES = 32 * 1024 * 1024;

interface Entry { fingerprint: string; body: Buffer }

/**
 * The big list pages a server process rendered last, with the fingerprint of what they show
 * (issue 14, ADR 0120): my Companies and my Apps. A list read sends the fingerprint it holds
 * for the same caller and page; PostgreSQL computes the current one in the same statement and
 * sends the rows only when it differs. So every request still asks the database, in the same
 * one round trip, and a page is never answered from here when anything it shows has changed
 * (a dismissal, a role, a Company's name, an App moved, renamed, suspended or assigned).
 *
 * Keyed by the caller's Account and the page's parameters: one caller's page is never
 * another's. Least recently used pages go first when the bytes run out.
 */
export class PageCache {
  private entries = new Map<string, Entry>();
  private bytes = 0;
  /** Pages answered from here, and pages rendered (tests and operators read them). */
  readonly stats = { hits: 0, renders: 0 };

  constructor(private readonly maxBytes = PAGE_CACHE_BYTES) {}

  /** The fingerprint this process holds for `key`, or null. */
  fingerprintOf(key: string): string | null {
    return this.entries.get(key)?.fingerprint ?? null;
  }

  /** The body rendered for `key` with `fingerprint`, or null; marks it as recently used. */
  take(key: string, fingerprint: string): Buffer | null {
    const entry = this.entries.get(key);
    if (!entry || entry.fingerprint !== fingerprint) return null;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.body;
  }

  put(key: string, fingerprint: string, body: Buffer): void {
    this.drop(key);
    if (body.length > this.maxBytes) return;
    this.entries.set(key, { fingerprint, body });
    this.bytes += body.length;
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.body.length;
  }
}

/**
 * Answers a list read through the cache: `read(known)` asks the database with the fingerprint
 * held for `key` and returns the current fingerprint with the page, or with null when it is
 * unchanged; `serialize` renders a page (the route's compiled serializer).
 */
export async function sendCachedPage<P>(
  reply: FastifyReply, cache: PageCache, key: string,
  read: (known: string | null) => Promise<{ fingerprint: string; page: P | null }>,
  serialize: (page: P) => string,
): Promise<FastifyReply> {
  const known = cache.fingerprintOf(key);
  const { fingerprint, page } = await read(known);
  let body = page === null ? cache.take(key, fingerprint) : null;
  if (body) cache.stats.hits++;
  else {
    cache.stats.renders++;
    let current = { fingerprint, page };
    // Unchanged, but dropped from the cache in between (another request's put): read it again,
    // and keep the page with the fingerprint read with it.
    if (current.page === null) current = await read(null);
    body = Buffer.from(serialize(current.page!), 'utf8');
    cache.put(key, current.fingerprint, body);
  }
  return reply.type('application/json; charset=utf-8').send(body);
}
