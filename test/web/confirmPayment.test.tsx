import type { Stripe } from '@stripe/stripe-js';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * Issue 15, SPEC 4.11: the 3-D Secure completion page (`/companies/:id/invoices/:invoiceId/confirm`,
 * linked from the action-required mail), its Stripe branch with a stand-in for the Stripe.js
 * object (Stripe.js cannot load on these offline machines; the loader is injected as in
 * stripeCard.test.ts). The page's body is rendered for each state the card holder meets, in
 * English and German.
 */
// The router reads window.location at import; react-aria looks at window.screen in tests.
vi.stubGlobal('window', { history: { state: null }, location: { pathname: '/', search: '' }, addEventListener: () => {}, screen: { orientation: {} }, visualViewport: {} });
const { setStripeLoader } = await import('../../src/web/card');
const { i18n } = await import('../../src/web/i18n');
const { completeInvoicePayment, ConfirmPaymentView } = await import('../../src/web/pages/company/ConfirmPaymentView');
type View = Parameters<typeof ConfirmPaymentView>[0];

const confirmation = (over: Record<string, unknown> = {}) => ({
  provider: 'stripe' as const, state: 'action_required', publishableKey: 'pk_test_page', clientSecret: 'pi_1_secret_x',
  paymentMethod: 'pm_1', intentStatus: 'requires_payment_method', ...over,
});

/** A stand-in for Stripe.js: what the bank's 3-D Secure dialog ends with. */
function stripeAnswering(answer: () => Promise<unknown>) {
  const stripe = { confirmCardPayment: vi.fn(answer), handleNextAction: vi.fn(answer) };
  const loader = vi.fn(async (_key: string) => stripe as unknown as Stripe);
  setStripeLoader(loader);
  return { stripe, loader };
}

/** The page's body as HTML text, tags stripped, for reading like a person does. */
function shown(props: Omit<View, 'billingLink' | 'onConfirm'>): { html: string; text: string } {
  const html = renderToStaticMarkup(<ConfirmPaymentView {...props} billingLink="/companies/c1?tab=billing" onConfirm={() => {}} />);
  return { html, text: html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim() };
}

beforeAll(async () => { await i18n.changeLanguage('en'); });
afterEach(async () => {
  setStripeLoader(null);
  await i18n.changeLanguage('en');
});

describe('the completion page, Stripe branch', () => {
  it('before anything: the card holder sees the button to confirm, and the way back', () => {
    const { html, text } = shown({ state: { kind: 'loaded', data: confirmation() }, phase: { kind: 'ready' } });
    expect(text).toContain('Confirm the payment');
    expect(html).toContain('href="/companies/c1?tab=billing"');
  });

  it('success: Stripe.js (loaded with the page\'s publishable key) confirms with the card; the page thanks the holder and offers no button', async () => {
    const { stripe, loader } = stripeAnswering(async () => ({ paymentIntent: { status: 'succeeded' } }));
    const phase = await completeInvoicePayment(confirmation());
    expect(phase).toEqual({ kind: 'done', status: 'succeeded' });
    expect(loader).toHaveBeenCalledWith('pk_test_page');
    expect(stripe.confirmCardPayment).toHaveBeenCalledWith('pi_1_secret_x', { payment_method: 'pm_1' });
    const { text } = shown({ state: { kind: 'loaded', data: confirmation() }, phase });
    expect(text).toContain('Thank you: the payment is confirmed.');
    expect(text).not.toContain('Confirm the payment');

    // An intent waiting for its next action goes through handleNextAction; processing is said as such.
    const next = stripeAnswering(async () => ({ paymentIntent: { status: 'processing' } }));
    const processing = await completeInvoicePayment(confirmation({ intentStatus: 'requires_action' }));
    expect(next.stripe.handleNextAction).toHaveBeenCalledWith({ clientSecret: 'pi_1_secret_x' });
    expect(shown({ state: { kind: 'loaded', data: confirmation() }, phase: processing }).text).toContain('The bank is still processing it');
  });

  it('failure: the bank\'s refusal is shown in plain words, with what to do, in an alert; the holder may try again', async () => {
    stripeAnswering(async () => ({ error: { type: 'card_error', code: 'payment_intent_authentication_failure', message: 'We are unable to authenticate your payment method. Please choose a different payment method and try again.' } }));
    const phase = await completeInvoicePayment(confirmation());
    expect(phase).toEqual({ kind: 'failed', message: expect.stringContaining('unable to authenticate') });
    const { html, text } = shown({ state: { kind: 'loaded', data: confirmation() }, phase });
    expect(html).toContain('role="alert"');
    expect(text).toContain('We are unable to authenticate your payment method.');
    expect(text).toContain('The payment was not confirmed. Please try again, or change the card on the Billing tab and pay there.');
    expect(text).toContain('Try again');
    expect(text).not.toMatch(/payment_intent|card_error|authentication_failure/);

    // Stripe.js that never loaded (blocked, offline) is a sentence too, not a crash.
    setStripeLoader(async () => null);
    const notLoaded = await completeInvoicePayment(confirmation());
    expect(notLoaded.kind).toBe('failed');
    expect(shown({ state: { kind: 'loaded', data: confirmation() }, phase: notLoaded }).text).toContain('The card form is still loading');

    await i18n.changeLanguage('de');
    expect(shown({ state: { kind: 'loaded', data: confirmation() }, phase }).text).toContain('Die Zahlung wurde nicht bestätigt.');
  });

  it('already paid: the page says so and offers nothing to confirm; an intent Stripe already calls succeeded is not confirmed again', async () => {
    const paid = shown({ state: { kind: 'nothing', invoiceState: 'paid' }, phase: { kind: 'ready' } });
    expect(paid.text).toContain('This invoice is paid already.');
    expect(paid.text).not.toContain('Confirm the payment');
    expect(paid.text).toContain('Back to the Billing tab');

    // Paid in another tab a moment ago: the webhook has not come yet, Stripe says succeeded.
    const { stripe, loader } = stripeAnswering(async () => ({ paymentIntent: { status: 'succeeded' } }));
    expect(await completeInvoicePayment(confirmation({ intentStatus: 'succeeded' }))).toEqual({ kind: 'done', status: 'succeeded' });
    expect(loader).not.toHaveBeenCalled();
    expect(stripe.confirmCardPayment).not.toHaveBeenCalled();

    // A direct debit in progress, and an invoice with nothing to confirm for another reason.
    expect(shown({ state: { kind: 'nothing', invoiceState: 'payment_pending' }, phase: { kind: 'ready' } }).text).toContain('being paid by direct debit');
    expect(shown({ state: { kind: 'nothing' }, phase: { kind: 'ready' } }).text).toContain('This invoice needs no confirmation now.');

    await i18n.changeLanguage('de');
    expect(shown({ state: { kind: 'nothing', invoiceState: 'paid' }, phase: { kind: 'ready' } }).text).toContain('Diese Rechnung ist bereits bezahlt.');
  });
});

describe('the completion page, sandbox branch', () => {
  it('says how to pay on the Billing tab; with a paid invoice it says paid', () => {
    expect(shown({ state: { kind: 'loaded', data: { provider: 'sandbox', state: 'action_required' } }, phase: { kind: 'ready' } }).text).toContain('change the card on the Billing tab and choose “Pay now”');
    const paid = shown({ state: { kind: 'loaded', data: { provider: 'sandbox', state: 'paid' } }, phase: { kind: 'ready' } }).text;
    expect(paid).toContain('This invoice is paid already.');
    expect(paid).not.toContain('Pay now');
  });
});
