import { insertRow, type WriteTarget } from '../../db/writeBatch.js';
import { outbox } from '../../db/schema.js';
import { renderMail, type MailContent } from './render.js';

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
  const rendered = renderMail(mail);
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
