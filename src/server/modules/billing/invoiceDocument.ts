/**
 * The printed invoice as text, from the snapshot on the invoice row only (never from live data),
 * shared by the HTML page and the PDF so both always say the same.
 */
import type { InvoiceRow } from './invoiceRepo.js';
import type { BuyerSnapshot, LineSnapshot, SellerSnapshot, TaxSnapshot } from './invoiceSnapshot.js';
import { formatMoney, ratePercent } from './money.js';

export interface PrintedInvoice {
  title: string;
  number: string;
  facts: [string, string][];
  seller: { name: string; lines: string[] };
  buyer: { name: string; lines: string[] };
  lines: { app: string; description: string; period: string; unitPrice: string; amount: string }[];
  totals: { label: string; value: string; strong?: boolean }[];
  notes: string[];
  footer: string;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "1 December 2026" */
export function longDate(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/** "1–30 Nov 2026", or "14 Dec 2026" for a single day. */
function shortPeriod(from: string, to: string): string {
  const [fy, fm, fd] = from.split('-').map(Number);
  const [ty, tm, td] = to.split('-').map(Number);
  const mon = (m: number) => MONTHS[m - 1].slice(0, 3);
  if (from === to) return `${fd} ${mon(fm)} ${fy}`;
  if (fy === ty && fm === tm) return `${fd}–${td} ${mon(fm)} ${fy}`;
  return `${fd} ${mon(fm)} ${fy} – ${td} ${mon(tm)} ${ty}`;
}

function cardWords(pm: BuyerSnapshot['paymentMethod']): string {
  if (pm.type === 'sepa_debit') return `SEPA direct debit from the account ending ${pm.last4}`;
  const brand = pm.brand && pm.brand !== 'unknown' ? pm.brand[0].toUpperCase() + pm.brand.slice(1) : 'Card';
  return `${brand} card ending ${pm.last4}`;
}

function taxLabel(t: TaxSnapshot): string {
  if (t.category === 'AE') return 'VAT 0 % (reverse charge)';
  if (t.category === 'O') return 'VAT 0 % (not taxable here)';
  return `VAT ${ratePercent(t.rateBp)} %`;
}

export function printedInvoice(row: InvoiceRow, refs: { credits?: string | null; creditedBy?: string | null } = {}): PrintedInvoice {
  const seller = row.seller as unknown as SellerSnapshot;
  const buyer = row.buyer as unknown as BuyerSnapshot;
  const lines = row.lines as unknown as LineSnapshot[];
  const taxes = row.taxes as unknown as TaxSnapshot[];
  const money = (cents: number) => formatMoney(cents, row.currency);
  const credit = row.kind === 'credit_note';
  const issueDay = row.issuedAt.toISOString().slice(0, 10);
  const facts: [string, string][] = [
    [credit ? 'Credit note number' : 'Invoice number', row.number],
    ['Issue date', longDate(issueDay)],
    ['Service period', `1–${lastDay(row.month).slice(8)} ${longDate(`${row.month}-01`).slice(2)}`],
  ];
  if (credit && refs.credits) facts.push(['Credits invoice', refs.credits]);
  facts.push(['Currency', row.currency]);
  const totals: PrintedInvoice['totals'] = [];
  for (const t of taxes) totals.push({ label: taxes.length > 1 || t.rateBp > 0 ? `Net at ${ratePercent(t.rateBp)} %` : 'Net total', value: money(t.netCents) });
  for (const t of taxes) totals.push({ label: taxLabel(t), value: money(t.taxCents) });
  totals.push({ label: credit ? 'Total credited' : 'Total due', value: money(row.totalCents), strong: true });
  const notes = [...(row.notes as string[])];
  if (!credit) notes.push(`The total of ${money(row.totalCents)} is charged to the ${cardWords(buyer.paymentMethod)}. There is nothing to transfer.`);
  else notes.push(`The total of ${money(-row.totalCents)} is credited to your account${row.reason ? `. Reason: ${row.reason}` : ''}.`);
  return {
    title: credit ? 'Credit note' : 'Invoice',
    number: row.number,
    facts,
    seller: { name: seller.name, lines: [...seller.addressLines, seller.countryName, ...(seller.vatNumber ? [`VAT ID ${seller.vatNumber}`] : [])] },
    buyer: {
      name: buyer.name,
      lines: [buyer.address.line1, ...(buyer.address.line2 ? [buyer.address.line2] : []), `${buyer.address.postalCode} ${buyer.address.city}`, buyer.countryName,
        ...(buyer.vatNumber ? [`VAT ID ${buyer.vatNumber}`] : [])],
    },
    lines: lines.map((l) => ({
      app: l.appName, description: l.description,
      period: `${shortPeriod(l.fromDay, l.toDay)} (${l.days} ${l.days === 1 ? 'day' : 'days'})`,
      unitPrice: `${formatMoney(l.unitPriceCents, row.currency)} / month`, amount: money(l.amountCents),
    })),
    totals,
    notes,
    footer: [seller.name, ...seller.addressLines, ...(seller.vatNumber ? [`VAT ID ${seller.vatNumber}`] : [])].join(' · '),
  };
}

function lastDay(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}
