import { sql } from 'drizzle-orm';
import type { Ctx } from '../services.js';
import { recordActivity } from '../modules/activity/record.js';
import { markAppDeleted } from '../modules/apps/lifecycle.js';
import type { AppRow } from '../modules/apps/repo.js';
import { enqueueMail } from '../modules/mail/outbox.js';
import { formatMoment } from '../modules/invitations/wording.js';
import { createTranslator, DEFAULT_LANGUAGE, isLanguage, type Language } from '../../shared/i18n/index.js';

export const TRIAL_WARNING_MS = 24 * 3_600_000;
const BATCH = 50;

interface TrialRow { id: string; name: string; trial_ends_at: Date | string; email: string; first_name: string; language: string | null; time_zone: string | null }

/** The trial mails in the creator's language and zone (ADR 0050, 0070), read in the same statement as the row. */
function words(language: string | null): { lang: Language; t: ReturnType<typeof createTranslator> } {
  const lang = isLanguage(language) ? language : DEFAULT_LANGUAGE;
  return { lang, t: createTranslator(lang) };
}

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
        (SELECT first_name FROM accounts WHERE accounts.id = apps.trial_account_id) AS first_name,
        (SELECT language FROM accounts WHERE accounts.id = apps.trial_account_id) AS language,
        (SELECT time_zone FROM accounts WHERE accounts.id = apps.trial_account_id) AS time_zone`);
    const rows = result.rows as unknown as TrialRow[];
    for (const row of rows) {
      const endsAt = new Date(row.trial_ends_at);
      const { lang, t } = words(row.language);
      await enqueueMail(tx, {
        kind: 'trial-ending', to: row.email, language: lang,
        subject: t('mail.trialEnding.subject', { app: row.name }),
        paragraphs: [
          t('mail.helloComma', { name: row.first_name ? ` ${row.first_name}` : '' }),
          t('mail.trialEnding.body', { app: row.name, moment: formatMoment(endsAt, lang, row.time_zone) }),
          t('mail.trialEnding.hint'),
        ],
        action: { label: t('mail.trialEnding.action'), url: link(ctx, row.name) },
      }, now);
    }
    return rows.length;
  });
}

async function expireBatch(ctx: Pick<Ctx, 'db' | 'clock' | 'config'>): Promise<number> {
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const result = await tx.execute(sql`
      SELECT a.*, acc.email, acc.first_name AS account_first_name, acc.last_name AS account_last_name, acc.language AS account_language FROM apps a
      JOIN accounts acc ON acc.id = a.trial_account_id
      WHERE a.status = 'trial' AND a.trial_ends_at <= ${now}
      ORDER BY a.trial_ends_at LIMIT ${BATCH} FOR UPDATE OF a SKIP LOCKED`);
    const rows = result.rows as unknown as { id: string; name: string; trial_account_id: string; email: string; account_first_name: string; account_language: string | null }[];
    for (const row of rows) {
      const app = { id: row.id, name: row.name } as AppRow;
      if (!(await markAppDeleted(tx, app, now))) continue;
      await recordActivity(tx, { at: now, actor: null, companyId: null, app, action: 'app.trial_expired', category: 'app', details: { trialAccountId: row.trial_account_id } });
      const { lang, t } = words(row.account_language);
      await enqueueMail(tx, {
        kind: 'trial-expired', to: row.email, language: lang,
        subject: t('mail.trialEnded.subject', { app: row.name }),
        paragraphs: [
          t('mail.helloComma', { name: row.account_first_name ? ` ${row.account_first_name}` : '' }),
          t('mail.trialEnded.body', { app: row.name }),
        ],
        action: { label: t('mail.trialEnded.action'), url: ctx.config.publicUrl },
      }, now);
    }
    return rows.length;
  });
}
