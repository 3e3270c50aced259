import type { Quote } from '../billing/quote.js';
import type { Plan } from '../plans/catalogue.js';

/** What the client agreed to, repeated on the done page and in the confirmation mail (issue 17). */
export interface AcceptSummary {
  plan: Plan; planInWords: string; quote: Quote;
  card: { brand: string | null; last4: string };
  billingContact: { name: string; line1: string; line2: string | null; postalCode: string; city: string; country: string; vatNumber: string | null };
  billingUrl: string;
}

