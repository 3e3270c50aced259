/**
 * The printed invoice as text, from the snapshot on the invoice row only (never from live data),
 * shared by the HTML page and the PDF so both always say the same. The words come from the
 * catalogue (`billing.document.*`) in the invoice's own language, snapshotted when it was
 * numbered (ADR 0094); German dates, amounts and rates go through Intl (de-DE).
 */
import { createTranslator, isLanguage, type Language } from '../../../shared/i18n/index.js';
import { cardBrandName, formatMoney as formatMoneyIn } from '../../../shared/format.js';
import type { InvoiceRow } from './invoiceRepo.js';
import type { BuyerSnapshot, LineSnapshot, SellerSnapshot, TaxSnapshot } from './invoiceSnapshot.js';
import { formatMoney, ratePercent } from './money.js';

export interface PrintedInvoice {
  language: Language;
  title: string;
  number: string;
  facts: [string, string][];
  seller: { name: string; lines: string[] };
  buyer: { name: string; lines: string[] };
  /** The fixed words of the layout: the buyer's heading and the column heads. */
  labels: { billTo: string; columns: [string, string, string, string] };
  lines: { app: string; description: string; period: string; unitPrice: string; amount: string }[];
  totals: { label: string; value: string; strong?: boolean }[];
  notes: string[];
  footer: string;
  /** "Page 1 of 2" / "Seite 1 von 2". */
  page(page: number, count: number): string;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "1 December 2026" (English invoices and mails). */
export function longDate(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/** How one language writes the invoice's days, amounts and rates. */
interface Formats {
  date(day: string): string;
  /** A line's days: "1–30 Nov 2026" / "1.–30. Nov. 2026"; one day alone. */
  period(from: string, to: string): string;
  /** The service month: "1–30 November 2026" / "1.–30. November 2026". */
  month(month: string): string;
  money(cents: number, currency: string): string;
  rate(basisPoints: number): string;
}

const utc = (day: string) => new Date(`${day}T00:00:00Z`);
/** Intl puts thin and narrow spaces around range dashes; they are not in the PDF fonts' WinAnsi set. */
const plainSpaces = (s: string) => s.replace(/[\u2009\u202f]/g, ' ');

const ENGLISH: Formats = {
  date: longDate,
  period(from, to) {
    const [fy, fm, fd] = from.split('-').map(Number);
    const [ty, tm, td] = to.split('-').map(Number);
    const mon = (m: number) => MONTHS[m - 1].slice(0, 3);
    if (from === to) return `${fd} ${mon(fm)} ${fy}`;
    if (fy === ty && fm === tm) return `${fd}–${td} ${mon(fm)} ${fy}`;
    return `${fd} ${mon(fm)} ${fy} – ${td} ${mon(tm)} ${ty}`;
  },
  month: (month) => `1–${lastDay(month).slice(8)} ${longDate(`${month}-01`).slice(2)}`,
  money: formatMoney,
  rate: (bp) => `${ratePercent(bp)} %`,
};

function intlFormats(locale: string): Formats {
  const long = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  const short = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 });
  return {
    date: (day) => long.format(utc(day)),
    period: (from, to) => plainSpaces(from === to ? short.format(utc(from)) : short.formatRange(utc(from), utc(to))),
    month: (month) => plainSpaces(long.formatRange(utc(`${month}-01`), utc(lastDay(month)))),
    money: (cents, currency) => formatMoneyIn({ amount: cents, currency }, locale),
    rate: (bp) => percent.format(bp / 10_000),
  };
}

const FORMATS: Record<Language, Formats> = { en: ENGLISH, de: intlFormats('de-DE') };

export function printedInvoice(row: InvoiceRow, refs: { credits?: string | null; creditedBy?: string | null } = {}): PrintedInvoice {
  const language: Language = isLanguage(row.language) ? row.language : 'en';
  const t = createTranslator(language);
  const f = FORMATS[language];
  const seller = row.seller as unknown as SellerSnapshot;
  const buyer = row.buyer as unknown as BuyerSnapshot;
  const lines = row.lines as unknown as LineSnapshot[];
  const taxes = row.taxes as unknown as TaxSnapshot[];
  const money = (cents: number) => f.money(cents, row.currency);
  const vatId = (id: string) => t('billing.document.vatId', { id });
  const credit = row.kind === 'credit_note';
  const facts: [string, string][] = [
    [credit ? t('billing.document.creditNoteNumber') : t('billing.document.invoiceNumber'), row.number],
    [t('billing.document.issueDate'), f.date(row.issuedAt.toISOString().slice(0, 10))],
    [t('billing.document.servicePeriod'), f.month(row.month)],
  ];
  if (credit && refs.credits) facts.push([t('billing.document.credits'), refs.credits]);
  facts.push([t('billing.document.currency'), row.currency]);
  const totals: PrintedInvoice['totals'] = [];
  for (const tax of taxes) {
    totals.push({ label: taxes.length > 1 || tax.rateBp > 0 ? t('billing.document.netAt', { rate: f.rate(tax.rateBp) }) : t('billing.document.netTotal'), value: money(tax.netCents) });
  }
  for (const tax of taxes) {
    const label = tax.category === 'AE' ? t('billing.document.reverseCharge') : tax.category === 'O' ? t('billing.document.notTaxable') : t('billing.document.vatAt', { rate: f.rate(tax.rateBp) });
    totals.push({ label, value: money(tax.taxCents) });
  }
  totals.push({ label: credit ? t('billing.document.totalCredited') : t('billing.document.totalDue'), value: money(row.totalCents), strong: true });
  const notes = [...(row.notes as string[])];
  if (!credit) notes.push(chargedNote(t, buyer.paymentMethod, money(row.totalCents)));
  else notes.push(row.reason ? t('billing.document.creditedReason', { total: money(-row.totalCents), reason: row.reason }) : t('billing.document.credited', { total: money(-row.totalCents) }));
  return {
    language,
    title: credit ? t('billing.document.creditNote') : t('billing.document.invoice'),
    number: row.number,
    facts,
    seller: { name: seller.name, lines: [...seller.addressLines, seller.countryName, ...(seller.vatNumber ? [vatId(seller.vatNumber)] : [])] },
    buyer: {
      name: buyer.name,
      lines: [buyer.address.line1, ...(buyer.address.line2 ? [buyer.address.line2] : []), `${buyer.address.postalCode} ${buyer.address.city}`, buyer.countryName,
        ...(buyer.vatNumber ? [vatId(buyer.vatNumber)] : [])],
    },
    labels: {
      billTo: t('billing.document.billTo'),
      columns: [t('billing.document.columns.app'), t('billing.document.columns.period'), t('billing.document.columns.unitPrice'), t('billing.document.columns.amount')],
    },
    lines: lines.map((l) => ({
      app: l.appName, description: l.description,
      period: t('billing.document.period', { period: f.period(l.fromDay, l.toDay), count: l.days }),
      unitPrice: t('billing.document.perMonth', { price: money(l.unitPriceCents) }), amount: money(l.amountCents),
    })),
    totals,
    notes,
    footer: [seller.name, ...seller.addressLines, ...(seller.vatNumber ? [vatId(seller.vatNumber)] : [])].join(' · '),
    page: (page, count) => t('billing.document.page', { page, count }),
  };
}

function chargedNote(t: ReturnType<typeof createTranslator>, pm: BuyerSnapshot['paymentMethod'], total: string): string {
  if (pm.type === 'sepa_debit') return t('billing.document.chargedSepa', { total, last4: pm.last4 });
  if (pm.brand && pm.brand !== 'unknown') return t('billing.document.chargedCard', { total, brand: cardBrandName(pm.brand), last4: pm.last4 });
  return t('billing.document.chargedOtherCard', { total, last4: pm.last4 });
}

function lastDay(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

/** The date an invoice was issued, as its own language writes it ("1 December 2026" / "1. Dezember 2026"). */
export function invoiceDate(day: string, language: Language): string {
  return FORMATS[language].date(day);
}
