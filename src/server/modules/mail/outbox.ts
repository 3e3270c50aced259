import { insertRow, type WriteTarget } from '../../db/writeBatch.js';
import { outbox } from '../../db/schema.js';
import { renderMail, type MailContent } from './render.js';

export interface OutboxMail extends MailContent {
  to: string;
  /** What the mail is about, for logs and the dev mailbox (e.g. "verify-email"). */
  kind: string;
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
  });
}
