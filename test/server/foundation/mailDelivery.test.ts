import { inArray } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../../src/server/db/schema.js';
import { deliverDueMail, MAIL_CLAIM, MAIL_LEASE_MS } from '../../../src/server/jobs/deliverMail.js';
import { enqueueMail } from '../../../src/server/modules/mail/outbox.js';
import type { MailMessage, MailTransport } from '../../../src/server/modules/mail/transport.js';
import { countStatements, instrumentDatabase } from '../../harness/statements.js';
import { startTestSmtp, type TestSmtp } from '../../harness/smtp.js';
import { createTestApp, uniqueEmail, type TestApp } from '../../harness/testApp.js';
import { freshDatabase } from '../../harness/testDb.js';

// Issue 14, ADR 0121: the outbox worker claims mails in one statement (a lease on
// available_at) and marks each sent in one statement after the SMTP server took it.
let smtp: TestSmtp;
let t: TestApp;
beforeAll(async () => {
  smtp = await startTestSmtp();
  t = await createTestApp({ database: instrumentDatabase(await freshDatabase()), env: { SMTP_URL: smtp.url, MAIL_FROM: 'Dashboard <no-reply@dashboard.test>' } });
});
afterAll(async () => { await t?.close(); await smtp?.close(); });
afterEach(() => { t?.clock.reset(); });

async function queue(n: number, tag: string): Promise<string[]> {
  const to = Array.from({ length: n }, () => uniqueEmail(tag));
  await t.services.db.transaction(async (tx) => {
    for (const address of to) await enqueueMail(tx, { kind: 'test', to: address, subject: `Mail ${tag}`, paragraphs: ['x'] }, t.clock.now());
  });
  return to;
}

const received = (address: string) => smtp.received.filter((m) => JSON.stringify(m.to).includes(address)).length;
const rowsOf = (to: string[]) => t.services.db.select().from(outbox).where(inArray(outbox.toAddress, to));

describe('outbox delivery: claims and leases (issue 14)', () => {
  it('about one round trip per mail, and no transaction: 40 mails in 43 statements (it was 4 per mail)', async () => {
    const to = await queue(40, 'trips');
    const before = smtp.received.length;
    const { result, count } = await countStatements(() => deliverDueMail(t.services.db, t.services.mail, t.clock, t.services.log, 200, 1));
    expect(result).toBe(40);
    // Two claims of 20, one that finds nothing left, and one "sent" mark per mail.
    expect(MAIL_CLAIM).toBe(20);
    expect(count.statements).toBe(40 + 3);
    expect(count.transactions).toBe(0);
    await smtp.waitFor(before + 40);
    for (const address of to) expect(received(address)).toBe(1);
    const rows = await rowsOf(to);
    expect(rows.every((r) => r.sentAt !== null && r.attempts === 1 && r.lastError === null)).toBe(true);
  });

  it('a sender stuck in the SMTP conversation holds its claimed mails until the lease runs out; then they go out once, with the same Message-ID', async () => {
    const to = await queue(3, 'stuck');
    const attempted: MailMessage[] = [];
    // The SMTP server never answers this worker (a dead process, a hung connection): no lock or connection is held meanwhile.
    const stuck: MailTransport = { kind: 'smtp', send: (m) => { attempted.push(m); return new Promise<void>(() => {}); }, close() {} };
    void deliverDueMail(t.services.db, stuck, t.clock, t.services.log, 200, 1);
    for (let i = 0; i < 100 && attempted.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(attempted).toHaveLength(1);
    const before = smtp.received.length;
    // Another worker finds nothing due: all three are claimed.
    expect(await deliverDueMail(t.services.db, t.services.mail, t.clock, t.services.log, 200, 4)).toBe(0);
    t.clock.advance(MAIL_LEASE_MS - 1000);
    expect(await deliverDueMail(t.services.db, t.services.mail, t.clock, t.services.log, 200, 4)).toBe(0);
    t.clock.advance(2000);
    expect(await deliverDueMail(t.services.db, t.services.mail, t.clock, t.services.log, 200, 4)).toBe(3);
    const mails = (await smtp.waitFor(before + 3)).slice(before);
    for (const address of to) expect(received(address)).toBe(1);
    const first = mails.find((m) => JSON.stringify(m.to).includes(attempted[0].to))!;
    expect(first.messageId).toBe(`<outbox.${attempted[0].id}.${attempted[0].createdAt.getTime().toString(36)}@dashboard.test>`);
    expect(await deliverDueMail(t.services.db, t.services.mail, t.clock, t.services.log, 200, 4)).toBe(0);
  });

  it('a worker whose claim has grown old hands the unsent mails back at once instead of sending them late', async () => {
    const to = await queue(4, 'slow');
    const real = t.services.mail;
    const slow: MailTransport = { kind: 'smtp', async send(m) { await new Promise((r) => setTimeout(r, 60)); await real.send(m); }, close() {} };
    const before = smtp.received.length;
    // Only the first mail is sent within 30 ms of the claim; the other three are handed back, due now.
    expect(await deliverDueMail(t.services.db, slow, t.clock, t.services.log, 200, 1, { sendWithinMs: 30 })).toBe(1);
    const rows = await rowsOf(to);
    expect(rows.filter((r) => r.sentAt !== null)).toHaveLength(1);
    for (const r of rows.filter((x) => x.sentAt === null)) expect(r.availableAt.getTime()).toBe(t.clock.now().getTime());
    // Due at once, without waiting for the lease.
    expect(await deliverDueMail(t.services.db, real, t.clock, t.services.log, 200, 1)).toBe(3);
    await smtp.waitFor(before + 4);
    for (const address of to) expect(received(address)).toBe(1);
  });

  it('the run limit counts claimed mails over all workers', async () => {
    const to = await queue(25, 'limit');
    const before = smtp.received.length;
    expect(await deliverDueMail(t.services.db, t.services.mail, t.clock, t.services.log, 7, 3)).toBe(7);
    expect(await deliverDueMail(t.services.db, t.services.mail, t.clock, t.services.log, 200, 3)).toBe(18);
    await smtp.waitFor(before + 25);
    expect((await rowsOf(to)).filter((r) => r.sentAt === null)).toHaveLength(0);
  });
});
