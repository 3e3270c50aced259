import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEDIUM_PLAN, SMALL_PLAN, bookApp, uniqueAppName } from '../../harness/factories.js';
import { startTestSmtp, type TestSmtp } from '../../harness/smtp.js';
import { as, createTestApp, mailsTo, type TestApp } from '../../harness/testApp.js';
import { costWorld, deliver, mailsFor } from './world.js';

/**
 * Issue 17 (SPEC 4.12): a change by someone else that raises a Company's monthly cost mails
 * every owner with the App, the old and new monthly cost net and with VAT, and who did it;
 * the activity log records the amounts. SMALL_PLAN costs €16.00 (€19.04 with 19 % VAT, the
 * German seller and a German buyer), MEDIUM_PLAN €42.00 (€49.98).
 */
let smtp: TestSmtp;
let t: TestApp;
beforeAll(async () => {
  smtp = await startTestSmtp();
  t = await createTestApp({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'Dashboard <no-reply@dashboard.test>' } });
});
afterAll(async () => { await t?.close(); await smtp?.close(); });

async function activity(companyId: string, owner: Parameters<typeof as>[1], action: string) {
  const res = await as(t, owner).get(`/api/v1/companies/${companyId}/activity?limit=200`);
  return (res.json().items as { action: string; appName?: string; details: Record<string, unknown> }[]).filter((e) => e.action === action);
}

describe('cost-change mails to the owners', () => {
  it("mails both owners with the prices when an admin changes an App's plan to a dearer one", async () => {
    const w = await costWorld(t);
    const app = await bookApp(t, w.owner, w.company, { plan: SMALL_PLAN });
    const res = await as(t, w.admin).put(`/api/v1/apps/${app}/plan`, { plan: MEDIUM_PLAN });
    expect(res.statusCode).toBe(200);
    await deliver(t);
    for (const owner of [w.owner, w.owner2]) {
      const mails = mailsFor(smtp, owner.email, new RegExp(`monthly cost of "${app}" went up`));
      expect(mails).toHaveLength(1);
      const text = mails[0].text ?? '';
      expect(text).toContain(`Adam Admin changed the plan of "${app}" in "${w.company.name}".`);
      expect(text).toContain(`Monthly cost of "${app}" before: €16.00 excluding VAT, €19.04 including VAT.`);
      expect(text).toContain(`Monthly cost of "${app}" now: €42.00 excluding VAT, €49.98 including VAT.`);
      expect(text).toContain(`http://dashboard.test/companies/${w.company.id}`);
    }
    // The admin who did it gets no such mail.
    expect(mailsFor(smtp, w.admin.email, /monthly cost/)).toHaveLength(0);
    const [event] = await activity(w.company.id, w.owner, 'app.scaled');
    expect(event.details.cost).toEqual({
      currency: 'EUR', monthlyBeforeCents: 1600, monthlyAfterCents: 4200, monthlyBeforeGrossCents: 1904, monthlyAfterGrossCents: 4998, vatRatePercent: 19,
    });
  });

  it('mails the owners when an admin books an App into the Company (from nothing to its price)', async () => {
    const w = await costWorld(t);
    const name = uniqueAppName('booked');
    const res = await as(t, w.admin).post('/api/v1/apps', { name, region: 'eu1', companyId: w.company.id, billingContactId: w.company.contactId, plan: MEDIUM_PLAN });
    expect(res.statusCode).toBe(201);
    await deliver(t);
    for (const owner of [w.owner, w.owner2]) {
      const [mail] = mailsFor(smtp, owner.email, new RegExp(`Adam Admin booked "${name}"`));
      expect(mail?.subject).toBe(`Adam Admin booked "${name}" for "${w.company.name}"`);
      expect(mail.text).toContain(`before: €0.00 excluding VAT, €0.00 including VAT.`);
      expect(mail.text).toContain(`now: €42.00 excluding VAT, €49.98 including VAT.`);
      expect(mail.html).toContain('€49.98');
    }
    const [event] = await activity(w.company.id, w.owner, 'app.booked');
    expect(event.details.cost).toMatchObject({ monthlyBeforeCents: 0, monthlyAfterCents: 4200, monthlyAfterGrossCents: 4998 });
  });

  it('does not mail an owner about their own change, but tells the other owner', async () => {
    const w = await costWorld(t);
    const app = await bookApp(t, w.owner, w.company, { plan: SMALL_PLAN });
    expect((await as(t, w.owner).put(`/api/v1/apps/${app}/plan`, { plan: MEDIUM_PLAN })).statusCode).toBe(200);
    expect(await mailsTo(t.services.db, w.owner.email, 'cost-increase')).toHaveLength(0);
    const toOther = await mailsTo(t.services.db, w.owner2.email, 'cost-increase');
    // The booking and the scale: two changes by Olga, each told to Otto once.
    expect(toOther.map((m) => m.subject).sort()).toEqual([`Olga Owner booked "${app}" for "${w.company.name}"`, `The monthly cost of "${app}" went up`].sort());
  });

  it('sends nothing when the only owner changes things himself', async () => {
    const w = await costWorld(t, { secondOwner: false });
    const app = await bookApp(t, w.owner, w.company, { plan: SMALL_PLAN });
    expect((await as(t, w.owner).put(`/api/v1/apps/${app}/plan`, { plan: MEDIUM_PLAN })).statusCode).toBe(200);
    expect(await mailsTo(t.services.db, w.owner.email, 'cost-increase')).toHaveLength(0);
  });

  it('sends nothing when the monthly cost goes down or stays', async () => {
    const w = await costWorld(t);
    const app = await bookApp(t, w.owner, w.company, { plan: MEDIUM_PLAN });
    const before = (await mailsTo(t.services.db, w.owner2.email, 'cost-increase')).length;
    expect((await as(t, w.admin).put(`/api/v1/apps/${app}/plan`, { plan: SMALL_PLAN })).statusCode).toBe(200);
    expect((await as(t, w.admin).put(`/api/v1/apps/${app}/plan`, { plan: SMALL_PLAN })).statusCode).toBe(200);
    expect(await mailsTo(t.services.db, w.owner.email, 'cost-increase')).toHaveLength(0);
    expect(await mailsTo(t.services.db, w.owner2.email, 'cost-increase')).toHaveLength(before);
    const [event] = await activity(w.company.id, w.owner, 'app.scaled');
    expect(event.details.cost).toMatchObject({ monthlyBeforeCents: 4200, monthlyAfterCents: 1600 });
  });

  it("mails an owner who chose German in German, with German money (the Account's language)", async () => {
    const w = await costWorld(t);
    expect((await as(t, w.owner2).patch('/api/v1/me', { language: 'de', timeZone: 'Europe/Berlin' })).statusCode).toBe(200);
    const app = await bookApp(t, w.owner, w.company, { plan: SMALL_PLAN });
    expect((await as(t, w.admin).put(`/api/v1/apps/${app}/plan`, { plan: MEDIUM_PLAN })).statusCode).toBe(200);
    await deliver(t);
    const [mail] = mailsFor(smtp, w.owner2.email, new RegExp(`Die monatlichen Kosten von „${app}“ sind gestiegen`));
    expect(mail.text).toContain('Guten Tag Otto Owner,');
    expect(mail.text).toContain(`Adam Admin hat den Tarif von „${app}“ in „${w.company.name}“ geändert.`);
    expect(mail.text).toContain(`Monatliche Kosten von „${app}“ jetzt: 42,00\u00a0€ zzgl. MwSt., 49,98\u00a0€ inkl. MwSt.`);
    // The other owner still reads English.
    expect(mailsFor(smtp, w.owner.email, new RegExp(`Adam Admin booked|monthly cost of "${app}" went up`))).toHaveLength(1);
  });

  it('writes no mail when the change fails (same transaction as the change)', async () => {
    const w = await costWorld(t);
    const name = uniqueAppName('taken');
    await bookApp(t, w.owner, w.company, { name, plan: SMALL_PLAN });
    const res = await as(t, w.admin).post('/api/v1/apps', { name, region: 'eu1', companyId: w.company.id, billingContactId: w.company.contactId, plan: MEDIUM_PLAN });
    expect(res.statusCode).toBe(409);
    const mails = await mailsTo(t.services.db, w.owner.email, 'cost-increase');
    expect(mails.filter((m) => m.subject.includes('Adam Admin'))).toHaveLength(0);
  });
});
