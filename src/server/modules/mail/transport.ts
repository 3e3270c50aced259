import nodemailer from 'nodemailer';
import type { Logger } from 'pino';

export interface MailMessage {
  id: number; kind: string; to: string; subject: string; text: string; html: string;
  /** When the outbox row was made; with the id it names the mail for good (its Message-ID). */
  createdAt: Date;
  attachments?: { filename: string; contentType: string; content: Buffer }[];
}

/**
 * The Message-ID of an outbox row: the same on every attempt, so a mail sent again after
 * its sender died between the SMTP 250 and "marked sent" (at-least-once, ADR 0004) can be
 * recognised and dropped by the receiver. The creation time keeps ids of a reset database
 * from meeting old ones.
 */
export function messageIdOf(message: Pick<MailMessage, 'id' | 'createdAt'>, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'dashboard.invalid';
  return `<outbox.${message.id}.${message.createdAt.getTime().toString(36)}@${domain}>`;
}

/** Where delivered mail goes: SMTP, or (with no SMTP_URL) the server log and the dev mailbox. */
export interface MailTransport {
  readonly kind: 'smtp' | 'dev';
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export function createTransport(smtpUrl: string | null, from: string, log: Logger): MailTransport {
  if (!smtpUrl) {
    return {
      kind: 'dev',
      async send(message) {
        // No SMTP: the mail is shown in the log (and on /dev/mailbox, read from the outbox).
        // Invitation tokens never go to logs (SPEC section 5): their links are shown on /dev/mailbox only.
        const text = message.text.replace(/\/invite\/[A-Za-z0-9_-]+/g, '/invite/<link on /dev/mailbox>');
        log.info({ mail: { id: message.id, kind: message.kind, to: message.to, subject: message.subject } },
          `dev mail to ${message.to}: ${message.subject}\n${text}`);
      },
      close() {},
    };
  }
  const transporter = nodemailer.createTransport(smtpUrl);
  return {
    kind: 'smtp',
    async send(message) {
      await transporter.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: messageIdOf(message, from),
        headers: { 'X-Dashboard-Mail-Id': String(message.id) },
        ...(message.attachments ? { attachments: message.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })) } : {}),
      });
    },
    close() { transporter.close(); },
  };
}
