import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import type { Clock } from '../shared/clock.js';
import type { MailTransport } from '../modules/mail/transport.js';

const MAX_ATTEMPTS = 8;

/** Backoff after the n-th failed attempt: 10 s, 20 s, 40 s, ... up to one hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(3_600_000, 10_000 * 2 ** Math.max(0, attempts - 1));
}

interface Row { id: number; kind: string; to_address: string; subject: string; text_body: string; html_body: string; attempts: number; created_at: Date | string; attachments: { filename: string; contentType: string; base64: string }[] | null }

/** Mails one run of the job may deliver (every 500 ms): 400/s per process at most. */
export const MAIL_BATCH = 200;
/** Mails sent at the same time on PostgreSQL, each in its own transaction and connection. */
export const MAIL_WORKERS = 4;

/**
 * Delivers due mails, one per transaction. The row stays locked (FOR UPDATE SKIP LOCKED)
 * while it is sent and is marked sent in the same transaction, so any number of processes
 * can run this and no mail is sent twice by two workers. `workers` transactions run side by
 * side (issue 14: one at a time, with 20 per run, delivered at most 40 mails/s); a crash
 * still leaves at most one unmarked mail per worker, which the next run sends again with the
 * same Message-ID. Returns how many were handled (sent, or failed and rescheduled).
 */
export async function deliverDueMail(db: Db, transport: MailTransport, clock: Clock, log: Logger, limit = MAIL_BATCH, workers = 1): Promise<number> {
  let claimed = 0;
  let empty = false;
  const worker = async () => {
    while (!empty && claimed < limit) {
      claimed++;
      if (!(await deliverOne(db, transport, clock, log))) {
        claimed--;
        empty = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, workers) }, worker));
  return claimed;
}

async function deliverOne(db: Db, transport: MailTransport, clock: Clock, log: Logger): Promise<boolean> {
  return db.transaction(async (tx) => {
    const now = clock.now();
    const result = await tx.execute(sql`
      SELECT id, kind, to_address, subject, text_body, html_body, attempts, created_at, attachments FROM outbox
      WHERE sent_at IS NULL AND failed_at IS NULL AND available_at <= ${now}
      ORDER BY available_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`);
    const row = (result.rows as unknown as Row[])[0];
    if (!row) return false;
    try {
      await transport.send({
        id: Number(row.id), kind: row.kind, to: row.to_address, subject: row.subject, text: row.text_body, html: row.html_body,
        createdAt: new Date(row.created_at),
        ...(row.attachments?.length ? { attachments: row.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.base64, 'base64') })) } : {}),
      });
      await tx.execute(sql`UPDATE outbox SET sent_at = ${now}, attempts = attempts + 1, last_error = NULL WHERE id = ${row.id}`);
    } catch (err) {
      const attempts = row.attempts + 1;
      const message = err instanceof Error ? err.message : String(err);
      log.warn({ mailId: row.id, attempts, err: message }, 'mail delivery failed');
      if (attempts >= MAX_ATTEMPTS) {
        await tx.execute(sql`UPDATE outbox SET attempts = ${attempts}, failed_at = ${now}, last_error = ${message} WHERE id = ${row.id}`);
      } else {
        const next = new Date(now.getTime() + retryDelayMs(attempts));
        await tx.execute(sql`UPDATE outbox SET attempts = ${attempts}, available_at = ${next}, last_error = ${message} WHERE id = ${row.id}`);
      }
    }
    return true;
  });
}
