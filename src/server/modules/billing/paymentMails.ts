import type { DbOrTx } from '../../db/client.js';
import { sql } from 'drizzle-orm';
import { createTranslator, DEFAULT_LANGUAGE, isLanguage, type Language } from '../../../shared/i18n/index.js';
import { normalizeEmail } from '../../shared/ids.js';
import { formatMoney as formatMoneyIn } from '../../../shared/format.js';
import { accountsRepo, type MailPrefs } from '../accounts/repo.js';
import { companiesRepo } from '../companies/repo.js';
import { formatDay } from '../invitations/wording.js';
import { enqueueMail } from '../mail/outbox.js';
import type { InvoiceRow } from './invoiceRepo.js';
import type { BuyerSnapshot, SellerSnapshot } from './invoiceSnapshot.js';
import { formatMoney } from './money.js';

/** The mails of the payment steps (SPEC 4.8), queued in the transaction that records the step. */
export function billingUrl(publicUrl: string, companyId: string): string {
  return `${publicUrl}/companies/${encodeURIComponent(companyId)}?tab=billing`;
}

/** English keeps the invoice's own amounts ("€13.33"); German writes them as Intl does ("13,33 €"). */
export function amount(cents: number, currency: string, language: Language): string {
  return language === 'en' ? formatMoney(cents, currency) : formatMoneyIn({ amount: cents, currency }, language);
}

/**
 * Whose language a billing mail uses (ADR 0050, 0070): the recipient Account's; the invoice
 * address often has no Account, and then gets the language of the Company's first owner.
 */
export async function languages(tx: DbOrTx, companyId: string, recipients: string[]): Promise<{ owners: string[]; prefsOf: (email: string) => MailPrefs }> {
  const owners = await companiesRepo.ownerEmails(tx, companyId);
  const lookup = await accountsRepo.mailPrefsFor(tx, [...recipients, ...owners]);
  const fallback = owners.length ? lookup(owners[0]) : undefined;
  return { owners, prefsOf: (email) => lookup(email, fallback) };
}

/**
 * The language an invoice is printed in (ADR 0094), decided when it is numbered: the language of
 * the Account of its invoice e-mail, else the Company's first owner's — the same people and the
 * same order as the invoice mail (ADR 0070), so the mail and its PDF speak one language.
 * For every invoice of a page of the monthly run at once, in order, in one statement (ADR 0106).
 */
export async function invoiceLanguages(tx: DbOrTx, of: { companyId: string; invoiceEmail: string }[]): Promise<Language[]> {
  if (of.length === 0) return [];
  const wanted = JSON.stringify(of.map((o, i) => ({ i, company_id: o.companyId, email: normalizeEmail(o.invoiceEmail) })));
  const result = await tx.execute(sql`
    SELECT w.i, (
      SELECT language FROM (
        SELECT 0 AS rank, language FROM accounts WHERE email = w.email
        UNION ALL
        (SELECT 1 AS rank, a.language FROM memberships m JOIN accounts a ON a.id = m.account_id
          WHERE m.company_id = w.company_id AND m.role = 'owner' ORDER BY m.created_at, m.account_id LIMIT 1)
      ) found ORDER BY rank LIMIT 1
    ) AS language
    FROM jsonb_to_recordset(${wanted}::jsonb) AS w(i int, company_id text, email text)`);
  const languages: Language[] = of.map(() => DEFAULT_LANGUAGE);
  for (const row of result.rows as unknown as { i: number; language: string | null }[]) {
    if (isLanguage(row.language)) languages[Number(row.i)] = row.language;
  }
  return languages;
}

export async function queueReceipt(tx: DbOrTx, publicUrl: string, invoice: InvoiceRow, at: Date): Promise<void> {
  const buyer = invoice.buyer as unknown as BuyerSnapshot;
  const seller = invoice.seller as unknown as SellerSnapshot;
  const { prefsOf } = await languages(tx, invoice.companyId, [buyer.invoiceEmail]);
  const { language } = prefsOf(buyer.invoiceEmail);
  const t = createTranslator(language);
  const total = amount(invoice.totalCents, invoice.currency, language);
  await enqueueMail(tx, {
    kind: 'invoice-receipt', to: buyer.invoiceEmail, language,
    subject: t('mail.receipt.subject', { total, number: invoice.number }),
    paragraphs: [
      t('mail.helloNamed', { name: buyer.name }),
      t('mail.receipt.body', { total, number: invoice.number, day: formatDay(at, language) }),
      `${seller.name}`,
    ],
    action: { label: t('mail.receipt.action'), url: billingUrl(publicUrl, invoice.companyId) },
  }, at);
}

/** A failed charge: the invoice e-mail and every owner hear of it, with a link to change the card and pay. */
/** The completion page of an `action_required` invoice. */
export function confirmUrl(publicUrl: string, companyId: string, invoiceId: string): string {
  return `${publicUrl}/companies/${encodeURIComponent(companyId)}/invoices/${encodeURIComponent(invoiceId)}/confirm`;
}

export async function queuePaymentProblem(tx: DbOrTx, publicUrl: string, invoice: InvoiceRow, state: 'declined' | 'action_required', message: string, nextTry: Date | null, at: Date): Promise<void> {
  const buyer = invoice.buyer as unknown as BuyerSnapshot;
  const suspendOn = new Date((invoice.dunningFrom ?? invoice.issuedAt).getTime() + 14 * 86_400_000);
  const { owners, prefsOf } = await languages(tx, invoice.companyId, [buyer.invoiceEmail]);
  const recipients = new Set([buyer.invoiceEmail, ...owners]);
  for (const to of recipients) {
    const { language } = prefsOf(to);
    const t = createTranslator(language);
    const total = amount(invoice.totalCents, invoice.currency, language);
    const words = { total, number: invoice.number, buyer: buyer.name };
    await enqueueMail(tx, {
      kind: state === 'declined' ? 'invoice-payment-failed' : 'invoice-action-required', to, language,
      subject: state === 'declined' ? t('mail.paymentProblem.failedSubject', words) : t('mail.paymentProblem.actionSubject', words),
      paragraphs: [
        t('mail.hello'),
        state === 'declined' ? t('mail.paymentProblem.failed', { ...words, message }) : t('mail.paymentProblem.confirm', words),
        nextTry ? t('mail.paymentProblem.retry', { day: formatDay(nextTry, language) }) : t('mail.paymentProblem.pay'),
        t('mail.paymentProblem.suspend', { day: formatDay(suspendOn, language), buyer: buyer.name }),
      ],
      // 3-D Secure: the link opens the page where the card holder confirms the payment (SPEC 4.11).
      action: { label: t('mail.paymentProblem.action'), url: state === 'action_required' ? confirmUrl(publicUrl, invoice.companyId, invoice.id) : billingUrl(publicUrl, invoice.companyId) },
    }, at);
  }
}
