/**
 * Money rules of SPEC 4.8 in one place: integer cents, rounded half up once per line
 * (and once per VAT rate on the net total). Everything here is pure integer arithmetic.
 */

/** round(numerator / denominator), halves away from zero; exact for safe integers. */
export function divideRoundHalfUp(numerator: number, denominator: number): number {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || denominator <= 0) {
    throw new Error(`divideRoundHalfUp needs safe integers and a positive denominator (${numerator} / ${denominator})`);
  }
  const sign = numerator < 0 ? -1 : 1;
  const n = Math.abs(numerator);
  const q = Math.floor(n / denominator);
  const r = n - q * denominator;
  return sign * (2 * r >= denominator ? q + 1 : q);
}

/** A line's amount: monthly price × days / days in that calendar month. */
export function prorate(monthlyPriceCents: number, days: number, daysInMonth: number): number {
  return divideRoundHalfUp(monthlyPriceCents * days, daysInMonth);
}

/** VAT of a net amount at a rate given in basis points (1900 = 19 %). */
export function taxOf(netCents: number, rateBasisPoints: number): number {
  return divideRoundHalfUp(netCents * rateBasisPoints, 10_000);
}

/** "€15.10" / "$7.00" / "-€3.20" for mails, PDFs and the CLI (the web formats itself). */
export function formatMoney(cents: number, currency: string): string {
  const symbol = currency === 'EUR' ? '€' : currency === 'USD' ? '$' : `${currency} `;
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${symbol}${Math.floor(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`;
}

/** A rate in basis points as the API and the invoice show it: 1900 -> 19, 2550 -> 25.5. */
export function ratePercent(rateBasisPoints: number): number {
  return rateBasisPoints / 100;
}
