import nodemailer from 'nodemailer';
import type { Logger } from 'pino';

export interface MailMessage { id: number; kind: string; to: string; subject: string; text: string; html: string }

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
        headers: { 'X-Dashboard-Mail-Id': String(message.id) },
      });
    },
    close() { transporter.close(); },
  };
}
