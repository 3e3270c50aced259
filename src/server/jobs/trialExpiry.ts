import { sql } from 'drizzle-orm';
import type { Ctx } from '../services.js';
import { recordActivity } from '../modules/activity/record.js';
import { markAppDeleted } from '../modules/apps/lifecycle.js';
import type { AppRow } from '../modules/apps/repo.js';
import { enqueueMail } from '../modules/mail/outbox.js';

export const TRIAL_WARNING_MS = 24 * 3_600_000;
const BATCH = 50;

interface TrialRow { id: string; name: string; trial_ends_at: Date | string; email: string; first_name: string }

/**
 * Trial Apps (SPEC 4.7): a warning mail 24 hours before the end, deletion at the end.
 * Each batch claims rows with FOR UPDATE SKIP LOCKED and changes them with guarded
 * statements in the same transaction as the mail, so any number of processes can run
 * this: each App is warned once and deleted once. Returns { warned, deleted }.
 */
export async function runTrialExpiry(ctx: Pick<Ctx, 'db' | 'clock' | 'config'>): Promise<{ warned: number; deleted: number }> {
  let warned = 0;
  let deleted = 0;
  for (;;) {
    const n = await warnBatch(ctx);
    warned += n;
    if (n < BATCH) break;
  }
  for (;;) {
    const n = await expireBatch(ctx);
    deleted += n;
    if (n < BATCH) break;
  }
  return { warned, deleted };
}

function link(ctx: Pick<Ctx, 'config'>, name: string) {
  return `${ctx.config.publicUrl}/apps/${encodeURIComponent(name)}`;
}

async function warnBatch(ctx: Pick<Ctx, 'db' | 'clock' | 'config'>): Promise<number> {
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const horizon = new Date(now.getTime() + TRIAL_WARNING_MS);
    const result = await tx.execute(sql`
      UPDATE apps SET trial_warned_at = ${now}
      WHERE id IN (
        SELECT id FROM apps WHERE status = 'trial' AND trial_warned_at IS NULL AND trial_ends_at <= ${horizon} AND trial_ends_at > ${now}
        ORDER BY trial_ends_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
      AND status = 'trial' AND trial_warned_at IS NULL
      RETURNING id, name, trial_ends_at,
        (SELECT email FROM accounts WHERE accounts.id = apps.trial_account_id) AS email,
        (SELECT first_name FROM accounts WHERE accounts.id = apps.trial_account_id) AS first_name`);
    const rows = result.rows as unknown as TrialRow[];
    for (const row of rows) {
      const endsAt = new Date(row.trial_ends_at);
      await enqueueMail(tx, {
        kind: 'trial-ending', to: row.email,
        subject: `Your trial App ${row.name} ends in 24 hours`,
        paragraphs: [
          `Hello${row.first_name ? ` ${row.first_name}` : ''},`,
          `your trial App "${row.name}" ends on ${endsAt.toISOString().replace('T', ' ').slice(0, 16)} UTC. Then it is deleted, with its settings.`,
          'To keep it, hand it over to your client, or book an App in a Company with a billing contact.',
        ],
        action: { label: 'Open the App', url: link(ctx, row.name) },
      }, now);
    }
    return rows.length;
  });
}

async function expireBatch(ctx: Pick<Ctx, 'db' | 'clock' | 'config'>): Promise<number> {
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const result = await tx.execute(sql`
      SELECT a.*, acc.email, acc.first_name AS account_first_name, acc.last_name AS account_last_name FROM apps a
      JOIN accounts acc ON acc.id = a.trial_account_id
      WHERE a.status = 'trial' AND a.trial_ends_at <= ${now}
      ORDER BY a.trial_ends_at LIMIT ${BATCH} FOR UPDATE OF a SKIP LOCKED`);
    const rows = result.rows as unknown as { id: string; name: string; trial_account_id: string; email: string; account_first_name: string }[];
    for (const row of rows) {
      const app = { id: row.id, name: row.name } as AppRow;
      if (!(await markAppDeleted(tx, app, now))) continue;
      await recordActivity(tx, { at: now, actor: null, companyId: null, app, action: 'app.trial_expired', category: 'app', details: { trialAccountId: row.trial_account_id } });
      await enqueueMail(tx, {
        kind: 'trial-expired', to: row.email,
        subject: `Your trial App ${row.name} has ended`,
        paragraphs: [
          `Hello${row.account_first_name ? ` ${row.account_first_name}` : ''},`,
          `your trial App "${row.name}" has ended and was deleted. Its name stays reserved for 7 days; after that anyone can use it again.`,
        ],
        action: { label: 'Open the Dashboard', url: ctx.config.publicUrl },
      }, now);
    }
    return rows.length;
  });
}
