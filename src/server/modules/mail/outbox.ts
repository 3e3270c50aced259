import { insertRow, type WriteTarget } from '../../db/writeBatch.js';
import { outbox } from '../../db/schema.js';
import { renderMail, type MailContent } from './render.js';
import { createTranslator, DEFAULT_LANGUAGE, type Language } from '../../../shared/i18n/index.js';
import type { SiteInfo } from '../site/info.js';

/**
 * Who sends the service's mails, with terms and privacy links, under every mail (issue 17).
 * Set once when the services start (the seller is configuration); unset, mails have no footer.
 */
let siteFooter: ((language: Language) => string) | null = null;

export function setMailFooter(site: SiteInfo | null): void {
  siteFooter = site ? (language) => {
    const t = createTranslator(language);
    return [
      t('client.footer.seller', { name: site.seller.name, address: site.seller.addressLines.join(', ') }),
      `${t('client.footer.terms')}: ${site.termsUrl}`,
      `${t('client.footer.privacy')}: ${site.privacyUrl}`,
    ].join('\n');
  } : null;
}

export interface OutboxMail extends MailContent {
  to: string;
  /** What the mail is about, for logs and the dev mailbox (e.g. "verify-email"). */
  kind: string;
  /** Files sent along (the invoice PDF); stored with the queued mail, so a retry sends the same bytes. */
  attachments?: { filename: string; contentType: string; content: Buffer }[];
}

/**
 * Queues a mail in the same transaction (or write batch) as the change that causes it; the delivery
 * worker sends it after commit. If the transaction rolls back, no mail goes out.
 */
export async function enqueueMail(target: WriteTarget, mail: OutboxMail, at: Date): Promise<void> {
  const footer = [mail.footer, siteFooter?.(mail.language ?? DEFAULT_LANGUAGE)].filter(Boolean).join('\n\n');
  const rendered = renderMail({ ...mail, footer: footer || undefined });
  await insertRow(target, outbox, {
    kind: mail.kind,
    toAddress: mail.to,
    subject: rendered.subject,
    textBody: rendered.text,
    htmlBody: rendered.html,
    createdAt: at,
    availableAt: at,
    attachments: mail.attachments?.map((a) => ({ filename: a.filename, contentType: a.contentType, base64: a.content.toString('base64') })) ?? null,
  });
}
