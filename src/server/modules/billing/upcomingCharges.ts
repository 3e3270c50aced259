import type { Ctx } from '../../services.js';
import { dayOf } from '../../shared/clock.js';
import type { Actor } from '../accounts/session.js';
import { recordRefusals } from '../activity/record.js';
import { requireCompany } from '../companies/access.js';
import type { Currency } from '../plans/catalogue.js';
import { chargesForMonth, firstDayOf, groupByContact, lastDayOf, monthOfDay, sumLines } from './charges.js';
import { chargesRepo } from './chargesRepo.js';
import { billingRepo } from './repo.js';
import { lineView, money, type InvoiceLineView, type MoneyView } from './views.js';

export interface UpcomingChargesView {
  month: string;
  items: {
    billingContact: { id: string; name: string };
    /** The current month so far (through today). */
    lines: InvoiceLineView[];
    net: MoneyView;
    /** The lines the invoice will have if nothing changes until the month's end. */
    projectedLines: InvoiceLineView[];
    projectedNet: MoneyView;
  }[];
}

/** SPEC 4.8 "Upcoming charges": owners and accountants, per billing contact of the Company. */
export async function upcomingCharges(ctx: Ctx, actor: Actor, companyId: string): Promise<UpcomingChargesView> {
  const now = ctx.clock.now();
  return recordRefusals(ctx.db, async () => {
    await requireCompany(ctx.db, now, actor, companyId, 'invoice.view');
    const today = dayOf(now);
    const month = monthOfDay(today);
    const periods = await chargesRepo.periodsOfCompany(ctx.db, companyId, firstDayOf(month), lastDayOf(month));
    const soFar = groupByContact(chargesForMonth(periods, month, today));
    const projected = groupByContact(chargesForMonth(periods, month));
    const contacts = new Map((await billingRepo.contacts(ctx.db, companyId, null, 10_000)).map((c) => [c.id, c]));
    const items = [...projected.entries()].map(([contactId, projectedLines]) => {
      const contact = contacts.get(contactId)!;
      const currency = contact.currency as Currency;
      const lines = soFar.get(contactId) ?? [];
      return {
        billingContact: { id: contact.id, name: contact.name },
        lines: lines.map(lineView), net: money(sumLines(lines), currency),
        projectedLines: projectedLines.map(lineView), projectedNet: money(sumLines(projectedLines), currency),
      };
    }).sort((a, b) => a.billingContact.name.localeCompare(b.billingContact.name) || a.billingContact.id.localeCompare(b.billingContact.id));
    return { month, items };
  });
}
