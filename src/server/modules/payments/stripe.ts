import Stripe from 'stripe';
import type { StripeConfig } from '../../config.js';
import { AppError } from '../../shared/errors.js';
import type { ChargeOutcome, ChargeRequest, PaymentMethodInfo, PaymentProvider, RefundOutcome, RefundRequest } from './provider.js';

/** Stripe's error as the client throws it (type, code, HTTP status). */
interface StripeErrorLike { type?: string; code?: string; decline_code?: string; statusCode?: number; message?: string; raw?: { payment_intent?: { id?: string }; setup_intent?: { id?: string } } }

export function createStripeClient(config: StripeConfig): Stripe {
  return new Stripe(config.secretKey, {
    // The package pins its API version; we never override it (docs/decisions/0060-stripe.md).
    maxNetworkRetries: 2,
    timeout: 20_000,
    telemetry: false,
    ...(config.apiBase ? { host: config.apiBase.host, port: config.apiBase.port, protocol: config.apiBase.protocol } : {}),
  });
}

/**
 * The Stripe payment provider (SPEC 4.11). The browser collects the card with Stripe.js and
 * sends the PaymentMethod id as the token. `authorize` creates one Customer per billing contact
 * (idempotently: the key is derived from the caller's key), attaches the PaymentMethod and
 * confirms an off-session SetupIntent (the zero-amount authorisation). Every write carries an
 * Idempotency-Key, so a retry after a crash gives Stripe's first answer.
 */
export class StripePaymentProvider implements PaymentProvider {
  readonly name = 'stripe' as const;
  readonly stripe: Stripe;
  constructor(readonly config: StripeConfig, client?: Stripe) {
    this.stripe = client ?? createStripeClient(config);
  }

  async describe(token: string): Promise<PaymentMethodInfo> {
    return infoOf(await this.paymentMethod(token));
  }

  /**
   * A SetupIntent for the browser (SPEC 4.11): Stripe.js confirms it with the card (3-D Secure
   * included, `stripe.confirmSetup`) and the form then sends the PaymentMethod id, which
   * `authorize` finds set up on the same Customer (same key, same `replacing`).
   */
  async createSetupIntent(idempotencyKey: string, options: { replacing?: string } = {}): Promise<{ clientSecret: string }> {
    const customer = await this.customerFor(idempotencyKey, options.replacing);
    const setup = await this.stripe.setupIntents.create({ customer, usage: 'off_session', metadata: { dashboard_key: idempotencyKey } });
    if (!setup.client_secret) throw new Error('Stripe returned a SetupIntent without a client secret');
    return { clientSecret: setup.client_secret };
  }

  async authorize(token: string, idempotencyKey: string, options: { replacing?: string } = {}): Promise<PaymentMethodInfo> {
    const pm = await this.paymentMethod(token);
    const customer = await this.customerFor(idempotencyKey, options.replacing);
    const attachedTo = typeof pm.customer === 'string' ? pm.customer : pm.customer?.id ?? null;
    if (attachedTo && attachedTo !== customer) throw alreadyUsed();
    // Set up in the browser already (a SetupIntent of createSetupIntent, confirmed by Stripe.js).
    if (attachedTo && (await this.setUpInBrowser(pm.id, customer))) return infoOf(pm);
    // A SEPA Direct Debit needs the mandate the account holder accepted in the Payment Element
    // (its SetupIntent, confirmed in the browser); the server cannot give one on their behalf.
    if (pm.type === 'sepa_debit') throw mandateMissing();
    try {
      if (!attachedTo) await this.stripe.paymentMethods.attach(pm.id, { customer }, { idempotencyKey: `dashboard:attach:${idempotencyKey}:${pm.id}` });
      const setup = await this.stripe.setupIntents.create({
        customer, payment_method: pm.id, usage: 'off_session', confirm: true,
        metadata: { dashboard_key: idempotencyKey },
      }, { idempotencyKey: `dashboard:setup:${idempotencyKey}:${pm.id}` });
      if (setup.status === 'requires_action') {
        throw new AppError('payment_declined', 'Your bank wants to confirm this card while you are present. Please try another card; confirming cards this way is not available yet.', undefined, { reason: 'confirm_needed' });
      }
      if (setup.status !== 'succeeded' && setup.status !== 'processing') throw new AppError('payment_declined', 'The card was declined by the bank. Please use another card.', undefined, { reason: 'declined' });
    } catch (err) {
      throw mapSetupError(err);
    }
    return infoOf(pm);
  }

  /**
   * An off-session PaymentIntent, confirmed at once; the idempotency key is the invoice's attempt
   * key. `authentication_required` (3-D Secure) becomes `action_required`; `processing` (a SEPA
   * Direct Debit, which the banks settle within days) is `pending` until a webhook says more.
   */
  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    const pm = await this.stripe.paymentMethods.retrieve(request.paymentMethod).catch(() => null);
    const customer = pm ? (typeof pm.customer === 'string' ? pm.customer : pm.customer?.id) : undefined;
    try {
      const intent = await this.stripe.paymentIntents.create({
        amount: request.amountCents, currency: request.currency.toLowerCase(), payment_method: request.paymentMethod,
        ...(customer ? { customer } : {}), off_session: true, confirm: true, description: request.description,
        metadata: { dashboard_key: request.idempotencyKey },
      }, { idempotencyKey: `dashboard:charge:${request.idempotencyKey}` });
      if (intent.status === 'succeeded') return { state: 'paid', reference: intent.id };
      if (intent.status === 'processing') return { state: 'pending', reference: intent.id };
      if (intent.status === 'requires_action') return { state: 'action_required', reference: intent.id, message: ACTION_MESSAGE };
      return { state: 'declined', reference: intent.id, message: DECLINE_MESSAGE };
    } catch (err) {
      const e = err as StripeErrorLike;
      const reference = e.raw?.payment_intent?.id ?? `declined:${request.idempotencyKey}`;
      if (e.code === 'authentication_required') return { state: 'action_required', reference, message: ACTION_MESSAGE };
      if (e.type === 'StripeCardError' || (e.statusCode === 404 && !pm)) {
        return { state: 'declined', reference, message: e.decline_code === 'insufficient_funds' ? 'The card was declined: insufficient funds. Please use another card.' : DECLINE_MESSAGE };
      }
      throw err;
    }
  }

  /**
   * What the card holder's browser needs to confirm a charge that asked for them (3-D Secure,
   * an `action_required` invoice): the PaymentIntent's client secret and state as Stripe says now.
   */
  async confirmation(reference: string): Promise<{ clientSecret: string; status: string; paymentMethod: string | null } | null> {
    if (!/^pi_[A-Za-z0-9_]{1,200}$/.test(reference)) return null;
    const intent = await this.stripe.paymentIntents.retrieve(reference).catch((err: StripeErrorLike) => {
      if (err.statusCode === 404) return null;
      throw err;
    });
    if (!intent?.client_secret) return null;
    const pm = typeof intent.payment_method === 'string' ? intent.payment_method : intent.payment_method?.id ?? null;
    return { clientSecret: intent.client_secret, status: intent.status, paymentMethod: pm };
  }

  async refund(request: RefundRequest): Promise<RefundOutcome> {
    const refund = await this.stripe.refunds.create({ payment_intent: request.chargeReference, amount: request.amountCents },
      { idempotencyKey: `dashboard:refund:${request.idempotencyKey}` });
    return { state: 'refunded', reference: refund.id };
  }

  private async paymentMethod(token: string): Promise<Stripe.PaymentMethod> {
    if (!/^pm_[A-Za-z0-9_]{1,200}$/.test(token)) throw unknownToken();
    try {
      return await this.stripe.paymentMethods.retrieve(token);
    } catch (err) {
      if ((err as StripeErrorLike).statusCode === 404) throw unknownToken();
      throw err;
    }
  }

  private async setUpInBrowser(paymentMethod: string, customer: string): Promise<boolean> {
    const list = await this.stripe.setupIntents.list({ payment_method: paymentMethod, customer, limit: 10 });
    return list.data.some((si) => si.status === 'succeeded' && si.usage === 'off_session');
  }

  /** The billing contact's Customer: the one of the card being replaced, or a new one created once per key. */
  private async customerFor(idempotencyKey: string, replacing?: string): Promise<string> {
    if (replacing?.startsWith('pm_')) {
      const old = await this.stripe.paymentMethods.retrieve(replacing).catch(() => null);
      const id = old ? (typeof old.customer === 'string' ? old.customer : old.customer?.id) : null;
      if (id) return id;
    }
    const customer = await this.stripe.customers.create({ metadata: { dashboard_key: idempotencyKey } }, { idempotencyKey: `dashboard:customer:${idempotencyKey}` });
    return customer.id;
  }
}

const DECLINE_MESSAGE = 'The card was declined by the bank. Please use another card.';
const ACTION_MESSAGE = 'Your bank asks you to confirm this payment (3-D Secure). Please pay again and confirm, or use another card.';

export function infoOf(pm: Stripe.PaymentMethod): PaymentMethodInfo {
  if (pm.type === 'sepa_debit' && pm.sepa_debit) {
    return { type: 'sepa_debit', brand: null, last4: pm.sepa_debit.last4 ?? '0000', expMonth: null, expYear: null, reference: pm.id };
  }
  const card = pm.card;
  if (pm.type !== 'card' || !card) {
    const message = 'This kind of payment method is not accepted. Please enter a card or an IBAN for SEPA Direct Debit.';
    throw new AppError('validation_failed', message, [{ path: 'paymentMethod.token', message }]);
  }
  return { type: 'card', brand: card.brand, last4: card.last4, expMonth: card.exp_month, expYear: card.exp_year, reference: pm.id };
}

function mapSetupError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  const e = err as StripeErrorLike;
  if (e.type === 'StripeCardError') {
    return new AppError('payment_declined', e.decline_code === 'insufficient_funds' ? 'The card was declined: insufficient funds. Please use another card.' : DECLINE_MESSAGE, undefined, { reason: e.decline_code === 'insufficient_funds' ? 'insufficient_funds' : 'declined' });
  }
  // Attaching a PaymentMethod already used by another Customer (or detached) is refused by Stripe.
  if (e.statusCode === 400 && (e.code === 'payment_method_unexpected_state' || e.code === 'resource_already_exists' || e.type === 'StripeIdempotencyError')) return alreadyUsed();
  if (e.statusCode === 404) return unknownToken();
  return err;
}

function mandateMissing() {
  const message = 'This direct debit has no mandate yet. Please enter the IBAN again and accept the mandate.';
  return new AppError('validation_failed', message, [{ path: 'paymentMethod.token', message }]);
}

function alreadyUsed() {
  const message = 'This card entry was already used. Please enter the card again.';
  return new AppError('validation_failed', message, [{ path: 'paymentMethod.token', message, reason: 'card_entry_used' }]);
}

function unknownToken() {
  const message = 'This card entry is not known to the payment provider. Please enter the card again.';
  return new AppError('validation_failed', message, [{ path: 'paymentMethod.token', message, reason: 'card_entry_unknown' }]);
}
