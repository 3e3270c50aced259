import type { Stripe, StripeElements } from '@stripe/stripe-js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/web/api/client';
import { payments } from '../../src/web/api/endpoints';
import { confirmInvoicePayment, confirmStripeCard, getStripe, setStripeLoader } from '../../src/web/card';

/**
 * Issue 15, SPEC 4.11: the Stripe branch of the card form, with a stand-in for the Stripe.js
 * object (Stripe.js cannot load on these offline machines). The loader is injected.
 */

type Confirm = Parameters<Stripe['confirmSetup']>[0];

function fakeStripe(answer: (options: Confirm) => Promise<unknown>) {
  const calls: string[] = [];
  const elements = {
    submit: vi.fn(async () => { calls.push('submit'); return {}; }),
  } as unknown as StripeElements & { submit: ReturnType<typeof vi.fn> };
  const stripe = {
    confirmSetup: vi.fn(async (options: Confirm) => { calls.push('confirmSetup'); return answer(options); }),
  } as unknown as Stripe & { confirmSetup: ReturnType<typeof vi.fn> };
  return { stripe, elements, calls };
}

const succeeded = (pm: unknown = 'pm_123') => async () => ({ setupIntent: { id: 'seti_1', status: 'succeeded', payment_method: pm } });

afterEach(() => {
  setStripeLoader(null);
  vi.unstubAllGlobals();
});

describe('the Stripe loader', () => {
  it('is injected, called once per publishable key, and not at all before a Stripe form asks', async () => {
    const { stripe } = fakeStripe(succeeded());
    const loader = vi.fn(async (_key: string) => stripe);
    setStripeLoader(loader);
    expect(loader).not.toHaveBeenCalled();
    expect(await getStripe('pk_test_a')).toBe(stripe);
    expect(await getStripe('pk_test_a')).toBe(stripe);
    await getStripe('pk_test_b');
    expect(loader.mock.calls.map((c) => c[0])).toEqual(['pk_test_a', 'pk_test_b']);
  });
});

describe('confirmStripeCard', () => {
  it('submits the element, then asks the server for the SetupIntent, then confirms it on the page; the PaymentMethod id is the token', async () => {
    const { stripe, elements, calls } = fakeStripe(succeeded());
    const createSetupIntent = vi.fn(async () => { calls.push('setupIntent'); return { clientSecret: 'seti_1_secret_x' }; });
    await expect(confirmStripeCard({ stripe, elements, createSetupIntent, returnUrl: 'http://dashboard.test/companies/new' })).resolves.toBe('pm_123');
    expect(calls).toEqual(['submit', 'setupIntent', 'confirmSetup']);
    expect(stripe.confirmSetup.mock.calls[0][0]).toMatchObject({ elements, clientSecret: 'seti_1_secret_x', redirect: 'if_required', confirmParams: { return_url: 'http://dashboard.test/companies/new' } });
  });

  it('3-D Secure at set-up is done by confirmSetup (the bank\'s challenge, then succeeded); an expanded PaymentMethod gives its id', async () => {
    const challenge = vi.fn();
    const { stripe, elements } = fakeStripe(async () => {
      challenge(); // Stripe.js shows the bank's page in a modal and resolves when the holder confirmed
      return { setupIntent: { id: 'seti_2', status: 'succeeded', payment_method: { id: 'pm_3ds' } } };
    });
    await expect(confirmStripeCard({ stripe, elements, createSetupIntent: async () => ({ clientSecret: 's' }), returnUrl: 'x' })).resolves.toBe('pm_3ds');
    expect(challenge).toHaveBeenCalledOnce();
  });

  it('a refused card, a cancelled 3-D Secure or an incomplete element is a problem on the card field, and the form sends nothing', async () => {
    const refused = fakeStripe(async () => ({ error: { type: 'card_error', message: 'Your card was declined.' } }));
    const error = await confirmStripeCard({ ...refused, createSetupIntent: async () => ({ clientSecret: 's' }), returnUrl: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).errors).toEqual([{ path: 'paymentMethod', message: 'Your card was declined.' }]);

    const cancelled = fakeStripe(async () => ({ setupIntent: { id: 'seti_3', status: 'requires_payment_method', payment_method: null } }));
    await expect(confirmStripeCard({ ...cancelled, createSetupIntent: async () => ({ clientSecret: 's' }), returnUrl: 'x' })).rejects.toMatchObject({ code: 'validation_failed' });

    const incomplete = fakeStripe(succeeded());
    incomplete.elements.submit.mockResolvedValueOnce({ error: { type: 'validation_error', message: 'Your card number is incomplete.' } });
    const createSetupIntent = vi.fn(async () => ({ clientSecret: 's' }));
    await expect(confirmStripeCard({ ...incomplete, createSetupIntent, returnUrl: 'x' })).rejects.toMatchObject({ errors: [{ path: 'paymentMethod', message: 'Your card number is incomplete.' }] });
    expect(createSetupIntent).not.toHaveBeenCalled();
    expect(incomplete.stripe.confirmSetup).not.toHaveBeenCalled();

    await expect(confirmStripeCard({ stripe: null, elements: null, createSetupIntent, returnUrl: 'x' })).rejects.toBeInstanceOf(ApiError);
  });

  it('the SetupIntent comes from POST /api/v1/payments/setup-intent with the form\'s purpose', async () => {
    const fetch = vi.fn(async (_request: Request) => new Response(JSON.stringify({ clientSecret: 'seti_9_secret' }), { status: 200, headers: { 'content-type': 'application/json' } }));
    vi.stubGlobal('fetch', fetch);
    const { stripe, elements } = fakeStripe(succeeded('pm_9'));
    const token = await confirmStripeCard({ stripe, elements, createSetupIntent: () => payments.setupIntent({ purpose: 'card-change', companyId: 'c1', contactId: 'b1' }), returnUrl: 'x' });
    expect(token).toBe('pm_9');
    const request = fetch.mock.calls[0][0];
    expect(new URL(request.url).pathname).toBe('/api/v1/payments/setup-intent');
    expect(await request.json()).toEqual({ purpose: 'card-change', companyId: 'c1', contactId: 'b1' });
    expect(stripe.confirmSetup.mock.calls[0][0]).toMatchObject({ clientSecret: 'seti_9_secret' });
  });
});

describe('confirmInvoicePayment (the completion page of an action_required invoice)', () => {
  it('a PaymentIntent left by the off-session charge is confirmed again on the page with its card; one waiting for its next action gets handleNextAction', async () => {
    const confirmCardPayment = vi.fn(async () => ({ paymentIntent: { status: 'succeeded' } }));
    const handleNextAction = vi.fn(async () => ({ paymentIntent: { status: 'processing' } }));
    const stripe = { confirmCardPayment, handleNextAction } as unknown as Stripe;
    await expect(confirmInvoicePayment(stripe, { clientSecret: 'pi_1_secret', paymentMethod: 'pm_1', intentStatus: 'requires_payment_method' })).resolves.toBe('succeeded');
    expect(confirmCardPayment).toHaveBeenCalledWith('pi_1_secret', { payment_method: 'pm_1' });
    await expect(confirmInvoicePayment(stripe, { clientSecret: 'pi_2_secret', paymentMethod: 'pm_1', intentStatus: 'requires_action' })).resolves.toBe('processing');
    expect(handleNextAction).toHaveBeenCalledWith({ clientSecret: 'pi_2_secret' });
  });

  it('a failed or cancelled 3-D Secure is a problem to show, not a success', async () => {
    const stripe = { confirmCardPayment: vi.fn(async () => ({ error: { type: 'card_error', message: 'We are unable to authenticate your payment method.' } })) } as unknown as Stripe;
    await expect(confirmInvoicePayment(stripe, { clientSecret: 's', paymentMethod: null, intentStatus: 'requires_payment_method' })).rejects.toMatchObject({ detail: 'We are unable to authenticate your payment method.' });
    const stuck = { confirmCardPayment: vi.fn(async () => ({ paymentIntent: { status: 'requires_payment_method' } })) } as unknown as Stripe;
    await expect(confirmInvoicePayment(stuck, { clientSecret: 's', paymentMethod: 'pm', intentStatus: 'requires_payment_method' })).rejects.toBeInstanceOf(ApiError);
    await expect(confirmInvoicePayment(null, { clientSecret: 's', paymentMethod: 'pm', intentStatus: 'requires_action' })).rejects.toBeInstanceOf(ApiError);
  });
});
