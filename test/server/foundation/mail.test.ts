import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../../src/server/db/schema.js';
import { deliverDueMail, retryDelayMs } from '../../../src/server/jobs/deliverMail.js';
import { enqueueMail } from '../../../src/server/modules/mail/outbox.js';
import { renderMail } from '../../../src/server/modules/mail/render.js';
import { createTestApp, ORIGIN, STRONG_PASSWORD, uniqueEmail, type TestApp } from '../../harness/testApp.js';
import { startTestSmtp, type TestSmtp } from '../../harness/smtp.js';

let smtp: TestSmtp;
let t: TestApp;
beforeAll(async () => {
  smtp = await startTestSmtp();
  t = await createTestApp({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'Dashboard <no-reply@dashboard.test>' } });
});
afterAll(async () => { await t?.close(); await smtp?.close(); });

const deliver = () => deliverDueMail(t.services.db, t.services.mail, t.clock, t.services.log);

describe('mail over SMTP', () => {
  it('delivers the verification mail after sign-up over real SMTP, with text and HTML bodies', async () => {
    const email = uniqueEmail();
    const before = smtp.received.length;
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-up/email', headers: { origin: ORIGIN }, payload: { email, password: STRONG_PASSWORD, name: 'Mail Test' } });
    expect(res.statusCode).toBe(200);
    expect(await deliver()).toBeGreaterThanOrEqual(1);
    await smtp.waitFor(before + 1);
    const mail = smtp.received.find((m) => m.to && JSON.stringify(m.to).includes(email))!;
    expect(mail).toBeDefined();
    expect(mail.from?.text).toContain('no-reply@dashboard.test');
    expect(mail.text).toContain('http://dashboard.test/api/auth/verify-email?token=');
    expect(mail.html).toContain('href="http://dashboard.test/api/auth/verify-email?token=');
    // Delivered once: a second run finds nothing to send.
    expect(await deliver()).toBe(0);
    const [row] = await t.services.db.select().from(outbox).where(eq(outbox.toAddress, email));
    expect(row.sentAt).not.toBeNull();
    expect(row.attempts).toBe(1);
  });

  it('retries with backoff after a temporary failure and never sends twice', async () => {
    const to = uniqueEmail('retry');
    await enqueueMail(t.services.db, { kind: 'test', to, subject: 'Retry me', paragraphs: ['hello'] }, t.clock.now());
    smtp.failNext(1);
    const before = smtp.received.length;
    await deliver();
    let [row] = await t.services.db.select().from(outbox).where(eq(outbox.toAddress, to));
    expect(row.sentAt).toBeNull();
    expect(row.attempts).toBe(1);
    expect(row.lastError).toMatch(/try again/);
    expect(row.availableAt.getTime()).toBeGreaterThan(t.clock.now().getTime());
    await deliver(); // not due yet
    expect(smtp.received.length).toBe(before);
    t.clock.advance(retryDelayMs(1) + 1000);
    try {
      await deliver();
      await smtp.waitFor(before + 1);
      [row] = await t.services.db.select().from(outbox).where(eq(outbox.toAddress, to));
      expect(row.sentAt).not.toBeNull();
      expect(row.attempts).toBe(2);
      await deliver();
      expect(smtp.received.filter((m) => JSON.stringify(m.to).includes(to))).toHaveLength(1);
    } finally {
      t.clock.reset();
    }
  });

  it('two workers racing over the same outbox send each mail exactly once', async () => {
    const recipients = Array.from({ length: 6 }, () => uniqueEmail('race'));
    for (const to of recipients) await enqueueMail(t.services.db, { kind: 'test', to, subject: 'Once', paragraphs: ['x'] }, t.clock.now());
    const before = smtp.received.length;
    await Promise.all([deliver(), deliver(), deliver()]);
    await smtp.waitFor(before + recipients.length);
    for (const to of recipients) {
      expect(smtp.received.filter((m) => JSON.stringify(m.to).includes(to))).toHaveLength(1);
    }
  });

  it('workers side by side deliver more than one run used to, each mail exactly once (issue 14)', async () => {
    const recipients = Array.from({ length: 45 }, () => uniqueEmail('batch'));
    for (const to of recipients) await enqueueMail(t.services.db, { kind: 'test', to, subject: 'Batch', paragraphs: ['x'] }, t.clock.now());
    const before = smtp.received.length;
    // Two processes' runs at once, four workers each; the limit counts claimed mails across workers.
    const [one, two] = await Promise.all([
      deliverDueMail(t.services.db, t.services.mail, t.clock, t.services.log, 30, 4),
      deliverDueMail(t.services.db, t.services.mail, t.clock, t.services.log, 30, 4),
    ]);
    expect(one).toBeLessThanOrEqual(30);
    expect(two).toBeLessThanOrEqual(30);
    expect(one + two).toBe(45);
    await smtp.waitFor(before + recipients.length);
    for (const to of recipients) {
      expect(smtp.received.filter((m) => JSON.stringify(m.to).includes(to))).toHaveLength(1);
    }
    expect(await deliverDueMail(t.services.db, t.services.mail, t.clock, t.services.log, 30, 4)).toBe(0);
  });

  it('a rolled-back transaction queues no mail', async () => {
    const to = uniqueEmail('rollback');
    await expect(t.services.db.transaction(async (tx) => {
      await enqueueMail(tx, { kind: 'test', to, subject: 'never', paragraphs: ['x'] }, t.clock.now());
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(await t.services.db.select().from(outbox).where(eq(outbox.toAddress, to))).toHaveLength(0);
  });
});

describe('mail rendering', () => {
  it('escapes every value in HTML and keeps the subject on one line', () => {
    const mail = renderMail({ subject: 'Hi\r\nBcc: evil@example.com', paragraphs: ['<script>alert(1)</script> & "quotes"'], action: { label: 'Go <now>', url: 'http://dashboard.test/x?a=1&b="2"' } });
    expect(mail.subject).toBe('Hi Bcc: evil@example.com');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(mail.html).toContain('href="http://dashboard.test/x?a=1&amp;b=&quot;2&quot;"');
    expect(mail.text).toContain('<script>alert(1)</script>');
  });

  it('backs off exponentially up to one hour', () => {
    expect(retryDelayMs(1)).toBe(10_000);
    expect(retryDelayMs(2)).toBe(20_000);
    expect(retryDelayMs(30)).toBe(3_600_000);
  });
});
