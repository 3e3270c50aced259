import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import { namedQuery } from '../db/named.js';
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
/** Mails sent at the same time on PostgreSQL, each worker with its own claimed mails. */
export const MAIL_WORKERS = 4;
/** Mails a worker claims in one statement. */
export const MAIL_CLAIM = 20;
/**
 * How long a claim holds (ADR 0121): a claimed mail is due again only after this, so a
 * process that died while sending lets another send its claimed mails then.
 */
export const MAIL_LEASE_MS = 30 * 60_000;
/**
 * A worker sends the mails it claimed only while its claim is this young (wall time); the
 * rest are handed back at once. Far below the lease, so no mail is ever sent by a worker
 * whose claim may have run out (a slow SMTP server cannot make two workers send one mail).
 */
export const MAIL_SEND_WITHIN_MS = 5 * 60_000;

// Issue 14, ADR 0121: named statements, no transaction. Claiming moves available_at forward
// by the lease, under FOR UPDATE SKIP LOCKED, in one statement: two workers never claim the
// same mail, and a claimed mail is not due for anyone else until the lease runs out.
const CLAIM = `UPDATE outbox SET available_at = $2 WHERE id IN (
    SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND available_at <= $1
    ORDER BY available_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
  RETURNING id, kind, to_address, subject, text_body, html_body, attempts, created_at, attachments`;
const MARK_SENT = 'UPDATE outbox SET sent_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1 AND sent_at IS NULL';
const MARK_FAILED = 'UPDATE outbox SET attempts = $2, failed_at = $3, last_error = $4 WHERE id = $1 AND sent_at IS NULL';
const MARK_RETRY = 'UPDATE outbox SET attempts = $2, available_at = $3, last_error = $4 WHERE id = $1 AND sent_at IS NULL';
const HAND_BACK = 'UPDATE outbox SET available_at = $2 WHERE id = ANY($1::bigint[]) AND sent_at IS NULL AND failed_at IS NULL';

/**
 * Delivers due mails. Each worker claims up to MAIL_CLAIM due mails in one statement (the
 * claim is a lease: `available_at` moves MAIL_LEASE_MS ahead), then sends them one by one
 * and marks each sent in its own statement right after the SMTP server accepted it. So no
 * mail is sent by two workers, and a crash leaves at most one sent but unmarked mail per
 * worker (the one being sent), which is sent again with the same Message-ID when its lease
 * runs out; the claimed mails not sent yet wait for the lease and go out once.
 * About one round trip per mail (issue 14: it was four, in a transaction per mail).
 * `workers` claim side by side; `limit` caps the mails claimed in this run over all workers.
 * Returns how many were handled (sent, or failed and rescheduled).
 */
export async function deliverDueMail(
  db: Db, transport: MailTransport, clock: Clock, log: Logger, limit = MAIL_BATCH, workers = 1,
  { sendWithinMs = MAIL_SEND_WITHIN_MS }: { sendWithinMs?: number } = {},
): Promise<number> {
  let claimed = 0;
  let handled = 0;
  let empty = false;
  const worker = async () => {
    while (!empty && claimed < limit) {
      const want = Math.min(MAIL_CLAIM, limit - claimed);
      claimed += want;
      const now = clock.now();
      const rows = await namedQuery<Row>(db, 'outbox_claim', CLAIM, [now, new Date(now.getTime() + MAIL_LEASE_MS), want]);
      claimed -= want - rows.length;
      if (rows.length < want) empty = true;
      rows.sort((a, b) => Number(a.id) - Number(b.id));
      const claimedAt = performance.now();
      for (let i = 0; i < rows.length; i++) {
        if (performance.now() - claimedAt > sendWithinMs) {
          const rest = rows.slice(i).map((r) => Number(r.id));
          await namedQuery(db, 'outbox_hand_back', HAND_BACK, [rest, clock.now()]);
          claimed -= rest.length;
          empty = true;
          break;
        }
        await deliverOne(db, transport, clock, log, rows[i]);
        handled++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, workers) }, worker));
  return handled;
}

async function deliverOne(db: Db, transport: MailTransport, clock: Clock, log: Logger, row: Row): Promise<void> {
  try {
    await transport.send({
      id: Number(row.id), kind: row.kind, to: row.to_address, subject: row.subject, text: row.text_body, html: row.html_body,
      createdAt: new Date(row.created_at),
      ...(row.attachments?.length ? { attachments: row.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.base64, 'base64') })) } : {}),
    });
  } catch (err) {
    const attempts = row.attempts + 1;
    const message = err instanceof Error ? err.message : String(err);
    const now = clock.now();
    log.warn({ mailId: row.id, attempts, err: message }, 'mail delivery failed');
    if (attempts >= MAX_ATTEMPTS) await namedQuery(db, 'outbox_mark_failed', MARK_FAILED, [row.id, attempts, now, message]);
    else await namedQuery(db, 'outbox_mark_retry', MARK_RETRY, [row.id, attempts, new Date(now.getTime() + retryDelayMs(attempts)), message]);
    return;
  }
  await namedQuery(db, 'outbox_mark_sent', MARK_SENT, [row.id, clock.now()]);
}
