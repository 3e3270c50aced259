import type { FieldProblem } from './api/client';

export interface CardInput { number: string; expiry: string; cvc: string }

/** "MM/YY" or "MM/YYYY" → month and four-digit year, or null. */
export function parseExpiry(value: string): { expMonth: number; expYear: number } | null {
  const match = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(value);
  if (!match) return null;
  const expMonth = Number(match[1]);
  const expYear = match[2].length === 2 ? 2000 + Number(match[2]) : Number(match[2]);
  return expMonth >= 1 && expMonth <= 12 ? { expMonth, expYear } : null;
}

export function cardProblems(card: CardInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!/^\d{12,19}$/.test(card.number.replace(/[\s-]/g, ''))) problems.push({ path: 'card.number', message: 'Enter the 12 to 19 digits of the card number.' });
  if (!parseExpiry(card.expiry)) problems.push({ path: 'card.expiry', message: 'Enter the expiry date as MM/YY, like 08/29.' });
  if (!/^\d{3,4}$/.test(card.cvc.trim())) problems.push({ path: 'card.cvc', message: 'Enter the 3 or 4 digits on the back of the card.' });
  return problems;
}
