import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoices, outbox } from '../../../src/server/db/schema.js';
import { deliverDueMail } from '../../../src/server/jobs/deliverMail.js';
import { mailIssuedInvoices } from '../../../src/server/jobs/invoiceMail.js';
import { runMonth } from '../../../src/server/modules/billing/monthlyRun.js';
import { billingCommand } from '../../../src/server/cli/billingCommand.js';
import { as, createTestApp, signUpVerified, type SignedIn, type TestApp } from '../../harness/testApp.js';
import { bookApp, createCompany, type CompanyFixture } from '../../harness/factories.js';
import { startTestSmtp, type TestSmtp } from '../../harness/smtp.js';
import { atTime, pdfText } from '../../harness/billing.js';

/** Issue 12, stage 3: the invoice mail with its PDF (after commit, once), credit notes, activity events. */
let smtp: TestSmtp;
let t: TestApp;
let owner: SignedIn;
let company: CompanyFixture;

beforeAll(async () => {
  smtp = await startTestSmtp();
  t = await createTestApp({ env: { SMTP_URL: smtp.url } });
  owner = await signUpVerified(t);
  await atTime(t, '2026-11-10T09:00:00Z', async () => {
    company = await createCompany(t, owner, { name: 'Bakery Müller' });
    await bookApp(t, owner, company, { name: 'bakery-shop' });
    await bookApp(t, owner, await createCompany(t, owner));
  });
  await atTime(t, '2026-12-01T00:10:00Z', () => runMonth(t.services, '2026-11'));
  await deliverDueMail(t.services.db, t.services.mail, t.services.clock, t.services.log, 100);
  smtp.received.length = 0;
});
afterAll(async () => { await t?.close(); await smtp?.close(); });

const invoiceOf = async (companyId: string) => (await t.services.db.select().from(invoices).where(eq(invoices.companyId, companyId)))
  .find((i) => i.kind === 'invoice')!;

describe('the invoice mail (issue 12)', () => {
  it('queues each issued invoice once, even with two workers at once, and delivers it with the PDF attached', async () => {
    const queued = await atTime(t, '2026-12-01T00:11:00Z', () => Promise.all([mailIssuedInvoices(t.services), mailIssuedInvoices(t.services)]));
    expect(queued[0] + queued[1]).toBe(2);
    expect(await mailIssuedInvoices(t.services)).toBe(0);
    const rows = (await t.services.db.select().from(outbox)).filter((r) => r.kind === 'invoice');
    expect(rows).toHaveLength(2);
    await deliverDueMail(t.services.db, t.services.mail, t.services.clock, t.services.log, 100);
    const mails = await smtp.waitFor(2);
    const invoice = await invoiceOf(company.id);
    const mail = mails.find((m) => m.subject?.includes(invoice.number))!;
    expect(mail.subject).toBe(`Invoice ${invoice.number} from Dashboard Hosting GmbH: €13.33`);
    expect((mail.to as { text: string }).text).toBe('invoices@bakery.example');
    expect(mail.text).toContain('It is charged to your Visa card ending 4242');
    expect(mail.text).toContain(`http://dashboard.test/companies/${company.id}?tab=billing`);
    expect(mail.attachments).toHaveLength(1);
    const [pdf] = mail.attachments;
    expect(pdf.filename).toBe(`${invoice.number}.pdf`);
    expect(pdf.contentType).toBe('application/pdf');
    const text = pdfText(pdf.content);
    expect(text).toContain(invoice.number);
    expect(text).toContain('€13.33');
    // The attachment is the same file the API serves.
    const served = await as(t, owner).get(`/api/v1/companies/${company.id}/invoices/${invoice.id}/pdf`);
    expect(served.rawPayload.equals(pdf.content)).toBe(true);
  });
});

describe('credit notes (issue 12)', () => {
  it('credits a whole invoice: the invoice is void, the credit note is numbered next, negated, linked and mailed', async () => {
    const invoice = await invoiceOf(company.id);
    const out: string[] = [];
    await atTime(t, '2026-12-03T10:00:00Z', () => billingCommand(['credit', invoice.number, '--reason', 'Shop was down for a week'], t.services, (l) => out.push(l)));
    expect(out.join('\n')).toContain(`Credit note INV-2026-000003 issued for ${invoice.number}`);
    const detail = (await as(t, owner).get(`/api/v1/companies/${company.id}/invoices/${invoice.id}`)).json();
    expect(detail.state).toBe('void');
    expect(detail.creditedBy.number).toBe('INV-2026-000003');
    const credit = (await as(t, owner).get(`/api/v1/companies/${company.id}/invoices/${detail.creditedBy.id}`)).json();
    expect(credit).toMatchObject({
      kind: 'credit_note', state: 'issued', month: '2026-11', credits: { id: invoice.id, number: invoice.number }, reason: 'Shop was down for a week',
      net: { amount: -1120 }, tax: { amount: -213 }, total: { amount: -1333 }, taxes: [{ rate: 19, net: { amount: -1120 }, tax: { amount: -213 } }],
    });
    expect(credit.lines[0].amount.amount).toBe(-1120);
    const list = (await as(t, owner).get(`/api/v1/companies/${company.id}/invoices`)).json();
    expect(list.items.map((i: { kind: string; state: string }) => [i.kind, i.state])).toEqual([['credit_note', 'issued'], ['invoice', 'void']]);

    await atTime(t, '2026-12-03T10:01:00Z', async () => {
      expect(await mailIssuedInvoices(t.services)).toBe(1);
      await deliverDueMail(t.services.db, t.services.mail, t.services.clock, t.services.log, 100);
    });
    const mails = await smtp.waitFor(3);
    const mail = mails.find((m) => m.subject?.startsWith('Credit note'))!;
    expect(mail.subject).toBe('Credit note INV-2026-000003 from Dashboard Hosting GmbH: €13.33');
    const text = pdfText(mail.attachments[0].content);
    expect(text).toContain('CREDIT NOTE');
    expect(text).toContain(invoice.number);
    expect(text).toContain('-€13.33');
    expect(text.replace(/\s+/g, ' ')).toContain('Reason: Shop was down for a week');
  });

  it('refuses to credit twice, a credit note, an unknown number, or without a reason, and changes nothing', async () => {
    const invoice = await invoiceOf(company.id);
    const before = await t.services.db.select().from(invoices);
    const refused = async (args: string[], message: RegExp) => expect(billingCommand(args, t.services, () => {})).rejects.toThrow(message);
    await refused(['credit', invoice.number, '--reason', 'again'], /already credited by INV-2026-000003/);
    await refused(['credit', 'INV-2026-000003', '--reason', 'x'], /is a credit note/);
    await refused(['credit', 'INV-2099-999999', '--reason', 'x'], /INV-2099-999999 does not exist/);
    await refused(['credit', invoice.number], /--reason/);
    await refused(['credit', '--reason', 'x'], /Say which invoice/);
    expect(await t.services.db.select().from(invoices)).toEqual(before);
  });

  it('writes billing activity events for issuing, mailing and crediting', async () => {
    const res = await as(t, owner).get(`/api/v1/companies/${company.id}/activity`);
    const actions = res.json().items.map((e: { action: string }) => e.action);
    for (const action of ['invoice.issued', 'invoice.mailed', 'invoice.credited', 'invoice.credit_note_mailed']) expect(actions).toContain(action);
  });
});
