import type { Stripe, StripeElements } from '@stripe/stripe-js';
import { ApiError, type FieldProblem } from './api/client';
import { i18n } from './i18n';

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
  if (!/^\d{12,19}$/.test(card.number.replace(/[\s-]/g, ''))) problems.push({ path: 'card.number', message: i18n.t('card.problems.number') });
  if (!parseExpiry(card.expiry)) problems.push({ path: 'card.expiry', message: i18n.t('card.problems.expiry') });
  if (!/^\d{3,4}$/.test(card.cvc.trim())) problems.push({ path: 'card.cvc', message: i18n.t('card.problems.cvc') });
  return problems;
}

/*
 * Stripe (PAYMENT_PROVIDER=stripe; SPEC 4.11, ADR 0085). The server says which provider it
 * uses (GET /api/v1/payments/config); with Stripe, the Payment Element collects the card and
 * `confirmStripeCard` confirms a SetupIntent the server made for this form (3-D Secure at
 * set-up is done by Stripe.js in `confirmSetup`), and hands back the PaymentMethod id that
 * the form sends as `paymentMethod:{token}`. The card never reaches our API.
 */

export type StripeLoader = (publishableKey: string) => Promise<Stripe | null>;

/** Stripe.js from Stripe (as Stripe requires), loaded only when a Stripe card form is shown. */
const loadFromStripe: StripeLoader = async (key) => (await import('@stripe/stripe-js/pure')).loadStripe(key);
let loader: StripeLoader = loadFromStripe;
const loaded = new Map<string, Promise<Stripe | null>>();

/** Tests put a stand-in for Stripe.js here (null: Stripe's own loader again). */
export function setStripeLoader(next: StripeLoader | null) {
  loader = next ?? loadFromStripe;
  loaded.clear();
}

/** One Stripe object per publishable key for the whole page. */
export function getStripe(publishableKey: string): Promise<Stripe | null> {
  let stripe = loaded.get(publishableKey);
  if (!stripe) {
    stripe = loader(publishableKey);
    loaded.set(publishableKey, stripe);
  }
  return stripe;
}

function cardProblem(message: string): ApiError {
  return new ApiError({ status: 400, code: 'validation_failed', title: i18n.t('form.fixFieldsTitle'), detail: message, errors: [{ path: 'paymentMethod', message }] });
}

/**
 * Submits the Payment Element, asks the server for this form's SetupIntent, and confirms it
 * with Stripe.js (staying on the page unless the bank's page needs a redirect). Returns the
 * PaymentMethod id; a card Stripe refuses, or a 3-D Secure the holder cancels, is a problem on
 * the card field, and nothing was sent to our API.
 */
export async function confirmStripeCard(deps: {
  stripe: Stripe | null;
  elements: StripeElements | null;
  createSetupIntent: () => Promise<{ clientSecret: string }>;
  returnUrl: string;
}): Promise<string> {
  const { stripe, elements } = deps;
  if (!stripe || !elements) throw cardProblem(i18n.t('payments.card.notReady'));
  const submitted = await elements.submit();
  if (submitted.error) throw cardProblem(submitted.error.message ?? i18n.t('payments.card.check'));
  const { clientSecret } = await deps.createSetupIntent();
  const result = await stripe.confirmSetup({ elements, clientSecret, redirect: 'if_required', confirmParams: { return_url: deps.returnUrl } });
  if (result.error) throw cardProblem(result.error.message ?? i18n.t('payments.card.declined'));
  const pm = result.setupIntent.payment_method;
  const id = typeof pm === 'string' ? pm : pm?.id;
  if (!id || result.setupIntent.status !== 'succeeded') throw cardProblem(i18n.t('payments.card.declined'));
  return id;
}

/**
 * The completion page of an `action_required` invoice: the card holder confirms the payment
 * the bank asked about. A PaymentIntent waiting for its next action is handled by
 * `handleNextAction`; one the off-session charge left without a confirmed method is confirmed
 * again on the page with its card (`confirmCardPayment`, which shows 3-D Secure). Resolves
 * when Stripe says succeeded or processing; the webhook then marks the invoice paid.
 */
export async function confirmInvoicePayment(stripe: Stripe | null, confirmation: { clientSecret: string; paymentMethod: string | null; intentStatus: string }): Promise<'succeeded' | 'processing'> {
  if (!stripe) throw cardProblem(i18n.t('payments.card.notReady'));
  const result = confirmation.intentStatus === 'requires_action'
    ? await stripe.handleNextAction({ clientSecret: confirmation.clientSecret })
    : await stripe.confirmCardPayment(confirmation.clientSecret, confirmation.paymentMethod ? { payment_method: confirmation.paymentMethod } : {});
  if (result.error) throw cardProblem(result.error.message ?? i18n.t('payments.confirm.failed'));
  const status = result.paymentIntent?.status;
  if (status === 'succeeded' || status === 'processing') return status;
  throw cardProblem(i18n.t('payments.confirm.failed'));
}
