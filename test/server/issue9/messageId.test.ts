import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deliverDueMail, retryDelayMs } from '../../../src/server/jobs/deliverMail.js';
import { enqueueMail } from '../../../src/server/modules/mail/outbox.js';
import type { MailTransport } from '../../../src/server/modules/mail/transport.js';
import { createTestApp, type TestApp } from '../../harness/testApp.js';
import { startTestSmtp, type TestSmtp } from '../../harness/smtp.js';

// Issue 9, defect 6: a mail sent again after its sender died (after the SMTP 250, before the
// row was marked sent) carries the same Message-ID, so the receiver can drop the copy.
describe('issue 9: one Message-ID per outbox row', () => {
  let smtp: TestSmtp;
  let t: TestApp;
  beforeAll(async () => {
    smtp = await startTestSmtp();
    t = await createTestApp({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'Dashboard <no-reply@dashboard.test>' } });
  });
  afterAll(async () => { await t?.close(); await smtp?.close(); });
  // Time is frozen and moves only when a test moves it; back to the start after each test (docs/testing.md).
  afterEach(() => { t?.clock.reset(); });

  it('the re-sent copy has the Message-ID of the first; another mail has another one', async () => {
    const real = t.services.mail;
    let dieAfterSend = true;
    // The SMTP server has the mail (250); then the sender "dies" before marking it sent.
    const dying: MailTransport = {
      kind: real.kind,
      async send(message) {
        await real.send(message);
        if (dieAfterSend) throw new Error('process killed after the 250');
      },
      close() {},
    };
    await t.services.db.transaction(async (tx) => {
      await enqueueMail(tx, { kind: 'test', to: 'twice@example.com', subject: 'Once or twice', paragraphs: ['Hello'] }, t.clock.now());
      await enqueueMail(tx, { kind: 'test', to: 'other@example.com', subject: 'Another', paragraphs: ['Hello'] }, t.clock.now());
    });
    const before = smtp.received.length;
    expect(await deliverDueMail(t.services.db, dying, t.clock, t.services.log)).toBe(2);
    dieAfterSend = false;
    t.clock.advance(retryDelayMs(1) + 1000);
    expect(await deliverDueMail(t.services.db, dying, t.clock, t.services.log)).toBe(2);
    const mails = (await smtp.waitFor(before + 4)).slice(before);
    const twice = mails.filter((m) => m.subject === 'Once or twice');
    expect(twice).toHaveLength(2);
    expect(twice[0].messageId).toMatch(/^<outbox\.\d+\.[0-9a-z]+@dashboard\.test>$/);
    expect(twice[1].messageId).toBe(twice[0].messageId);
    const other = mails.filter((m) => m.subject === 'Another');
    expect(other[0].messageId).not.toBe(twice[0].messageId);
    expect(other[1].messageId).toBe(other[0].messageId);
  });
});
