import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import Stripe from 'stripe';
import { createTestApp, type TestApp } from './testApp.js';

/**
 * A small local fake of the Stripe endpoints the Dashboard uses (no Stripe mock exists on npm).
 * It checks what real Stripe checks for those calls: the secret key, idempotency keys (the
 * first answer is replayed; the same key with other parameters is refused), unknown ids (404),
 * a PaymentMethod used by one Customer only, off-session charges of a card that needs
 * authentication (`authentication_required`), refunds up to the amount charged.
 * Test cards follow API.md's sandbox cards, so the provider contract suite runs the same
 * cases on both providers. SEPA Direct Debit as in Stripe's test mode: the IBAN
 * `DE89370400440532013000` is set up in the browser (with its mandate) and its PaymentIntents
 * confirm to `processing`; `settleDebit` then gives the bank's answer (that IBAN succeeds,
 * `DE62370400440532013001` fails), as Stripe does minutes later in test mode.
 */
export const SEPA_IBAN = { succeeds: 'DE89370400440532013000', fails: 'DE62370400440532013001' } as const;
export const FAKE_SECRET_KEY = 'sk_test_fakeFakeFake0123456789';
export const FAKE_PUBLISHABLE_KEY = 'pk_test_fakeFakeFake0123456789';
export const FAKE_WEBHOOK_SECRET = 'whsec_fakeFakeFake0123456789';

type Obj = Record<string, unknown> & { id: string };
interface Card { number: string; expMonth: number; expYear: number }
interface Iban { iban: string }
type FakePaymentMethod = Obj & { type: 'card' | 'sepa_debit'; customer: string | null; card?: { brand: string; last4: string; exp_month: number; exp_year: number }; sepa_debit?: { bank_code: string; country: string; last4: string }; _number: string; _detached?: boolean };
interface Reply { status: number; body: unknown }

/** Stripe's form encoding (`a[b]=c`, `a[0]=x`) back into a flat map of top-level and nested keys. */
function parseForm(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(text)) out[k] = v;
  return out;
}

function error(status: number, type: string, code: string, message: string, extra: Record<string, unknown> = {}): Reply {
  return { status, body: { error: { type, code, message, ...extra } } };
}

export class StripeFake {
  readonly server: http.Server;
  readonly customers = new Map<string, Obj>();
  readonly paymentMethods = new Map<string, FakePaymentMethod>();
  readonly setupIntents = new Map<string, Obj>();
  readonly paymentIntents = new Map<string, Obj & { amount: number; amount_refunded: number; amount_received: number; status: string; latest_charge: string | null; last_payment_error?: unknown }>();
  readonly refunds = new Map<string, Obj>();
  readonly charges = new Map<string, Obj & { amount: number; amount_refunded: number; refunded: boolean; payment_intent: string }>();
  /** Every request the fake answered, for tests that count calls. */
  readonly requests: { method: string; path: string; idempotencyKey?: string }[] = [];
  private readonly idempotency = new Map<string, { fingerprint: string; reply: Reply }>();
  private seq = 0;

  private constructor() {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const reply = this.handle(req, Buffer.concat(chunks).toString('utf8'));
        res.writeHead(reply.status, { 'content-type': 'application/json', 'request-id': `req_${this.id()}` });
        res.end(JSON.stringify(reply.body));
      });
    });
  }

  static async start(): Promise<StripeFake> {
    const fake = new StripeFake();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string { return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`; }

  /** The environment a test server needs for PAYMENT_PROVIDER=stripe against this fake. */
  env(): Record<string, string> {
    return { PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: FAKE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY: FAKE_PUBLISHABLE_KEY, STRIPE_WEBHOOK_SECRET: FAKE_WEBHOOK_SECRET, STRIPE_API_BASE: this.url };
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private id(): string { this.seq += 1; return `${this.seq.toString(36)}${randomBytes(6).toString('hex')}`; }

  /** What Stripe.js does in the browser (`stripe.createPaymentMethod`): a PaymentMethod for a card. */
  createPaymentMethod(card: Card | Iban = { number: '4242424242424242', expMonth: 12, expYear: 2030 }): string {
    if ('iban' in card) return this.createSepaDebit(card.iban);
    const digits = card.number.replace(/\s/g, '');
    const brand = /^4/.test(digits) ? 'visa' : /^5/.test(digits) ? 'mastercard' : /^3[47]/.test(digits) ? 'amex' : 'unknown';
    const id = `pm_${this.id()}`;
    this.paymentMethods.set(id, {
      id, object: 'payment_method', type: 'card', customer: null, livemode: false, created: Math.floor(Date.now() / 1000), metadata: {},
      billing_details: { address: null, email: null, name: null, phone: null },
      card: { brand, last4: digits.slice(-4), exp_month: card.expMonth, exp_year: card.expYear }, _number: digits,
    });
    return id;
  }

  /**
   * What the Payment Element makes of an IBAN: a `sepa_debit` PaymentMethod (last 4 of the IBAN,
   * no brand, no expiry). Usable only with the mandate of a SetupIntent confirmed in the browser.
   */
  createSepaDebit(iban: string = SEPA_IBAN.succeeds): string {
    const compact = iban.replace(/\s/g, '').toUpperCase();
    const id = `pm_${this.id()}`;
    this.paymentMethods.set(id, {
      id, object: 'payment_method', type: 'sepa_debit', customer: null, livemode: false, created: Math.floor(Date.now() / 1000), metadata: {},
      billing_details: { address: null, email: 'account.holder@example.com', name: 'Account Holder', phone: null },
      sepa_debit: { bank_code: compact.slice(4, 12), country: compact.slice(0, 2), last4: compact.slice(-4) }, _number: compact,
    });
    return id;
  }

  /**
   * The bank's answer to a SEPA debit that is `processing` (Stripe's test mode gives it minutes
   * later): the succeeding test IBAN succeeds with a charge, the failing one needs a payment method again.
   */
  settleDebit(id: string) {
    const pi = this.paymentIntents.get(id);
    if (!pi || pi.status !== 'processing') throw new Error(`no processing PaymentIntent ${id}`);
    const pm = this.paymentMethods.get(String(pi.payment_method));
    if (pm?._number === SEPA_IBAN.fails) {
      pi.status = 'requires_payment_method';
      pi.last_payment_error = { type: 'card_error', code: 'insufficient_funds', decline_code: 'insufficient_funds', message: 'The account has insufficient funds.', payment_method: { id: pm.id, type: 'sepa_debit' } };
    } else {
      this.succeed(pi);
    }
  }

  /** A signed webhook delivery for `object`, as Stripe sends it (`stripe.webhooks.generateTestHeaderString`). */
  signedEvent(type: string, object: unknown, opts: { id?: string; timestamp?: number; secret?: string } = {}): { payload: string; signature: string; id: string } {
    const id = opts.id ?? `evt_${this.id()}`;
    const payload = JSON.stringify({ id, object: 'event', api_version: '2026-10-28.endive', type, created: Math.floor(Date.now() / 1000), livemode: false, data: { object }, pending_webhooks: 1, request: null });
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: opts.secret ?? FAKE_WEBHOOK_SECRET, ...(opts.timestamp ? { timestamp: opts.timestamp } : {}) });
    return { payload, signature, id };
  }

  /** The card holder (or Stripe) detached a PaymentMethod. */
  detach(id: string) {
    const pm = this.paymentMethods.get(id);
    if (pm) { pm.customer = null; pm._detached = true; }
  }

  /** The card holder confirmed a PaymentIntent in the browser (Stripe.js, 3-D Secure passed): it succeeds and has a charge. */
  completePayment(id: string) {
    const pi = this.paymentIntents.get(id);
    if (!pi) throw new Error(`no PaymentIntent ${id}`);
    this.succeed(pi);
  }

  /** The card holder failed or abandoned 3-D Secure: the PaymentIntent needs a payment method again. */
  failPayment(id: string, code = 'payment_intent_authentication_failure') {
    const pi = this.paymentIntents.get(id);
    if (!pi) throw new Error(`no PaymentIntent ${id}`);
    pi.status = 'requires_payment_method';
    pi.last_payment_error = { type: 'card_error', code, message: 'We are unable to authenticate your payment method.' };
  }

  /** A refund made outside the Dashboard (the Stripe dashboard). */
  refundOutside(chargeId: string, amount: number) {
    const ch = this.charges.get(chargeId);
    if (!ch) throw new Error(`no charge ${chargeId}`);
    ch.amount_refunded += amount;
    ch.refunded = ch.amount_refunded >= ch.amount;
    const pi = this.paymentIntents.get(ch.payment_intent);
    if (pi) pi.amount_refunded += amount;
  }

  /** What Stripe.js does with a SetupIntent's client secret and the card (`stripe.confirmSetup`): a PaymentMethod, attached, the intent succeeded. */
  confirmSetup(clientSecret: string, card?: Card | Iban): { setupIntent: string; paymentMethod: string } {
    const si = [...this.setupIntents.values()].find((x) => x.client_secret === clientSecret);
    if (!si) throw new Error('unknown client secret');
    const pmId = this.createPaymentMethod(card);
    const pm = this.paymentMethods.get(pmId)!;
    if (si.customer) pm.customer = si.customer as string;
    si.payment_method = pmId;
    si.status = 'succeeded';
    // The Payment Element showed the mandate text and the holder accepted it.
    if (pm.type === 'sepa_debit') si.mandate = `mandate_${this.id()}`;
    return { setupIntent: si.id, paymentMethod: pmId };
  }

  private succeed(pi: Obj & { amount: number; amount_received: number; status: string; latest_charge: string | null; last_payment_error?: unknown }) {
    pi.status = 'succeeded';
    pi.amount_received = pi.amount;
    pi.last_payment_error = null;
    const ch = { id: `ch_${this.id()}`, object: 'charge', amount: pi.amount, amount_refunded: 0, refunded: false, currency: pi.currency, payment_intent: pi.id, status: 'succeeded', created: Math.floor(Date.now() / 1000), livemode: false, metadata: {} };
    this.charges.set(ch.id, ch);
    pi.latest_charge = ch.id;
  }

  private view<T extends Obj>(o: T): Record<string, unknown> {
    return Object.fromEntries(Object.entries(o).filter(([k]) => !k.startsWith('_')));
  }

  private handle(req: http.IncomingMessage, text: string): Reply {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const key = req.headers['idempotency-key'] as string | undefined;
    this.requests.push({ method, path: url.pathname, idempotencyKey: key });
    if (req.headers.authorization !== `Bearer ${FAKE_SECRET_KEY}`) return error(401, 'invalid_request_error', 'api_key_invalid', 'Invalid API Key provided.');
    if (method === 'POST' && key) {
      const fingerprint = `${url.pathname}?${text}`;
      const seen = this.idempotency.get(key);
      if (seen) {
        if (seen.fingerprint !== fingerprint) return error(400, 'idempotency_error', 'idempotency_key_in_use', 'Keys for idempotent requests can only be used with the same parameters they were first used with.');
        return seen.reply;
      }
      const reply = this.route(method, url.pathname, parseForm(text));
      // Stripe does not store answers of requests that failed validation before running (400/404 on ids): we keep it simple and store all.
      // A replay is the first answer as it was sent (a PaymentIntent `processing` then stays `processing` in it), not the object as it is now.
      this.idempotency.set(key, { fingerprint, reply: { status: reply.status, body: JSON.parse(JSON.stringify(reply.body)) as unknown } });
      return reply;
    }
    return this.route(method, url.pathname, method === 'GET' ? Object.fromEntries(url.searchParams) : parseForm(text));
  }

  private route(method: string, path: string, form: Record<string, string>): Reply {
    const parts = path.split('/').filter(Boolean); // v1, resource, id?, action?
    if (parts[0] !== 'v1') return error(404, 'invalid_request_error', 'resource_missing', `Unrecognized request URL (${method}: ${path}).`);
    const [, resource, id, action] = parts;
    const missing = (what: string, which: string) => error(404, 'invalid_request_error', 'resource_missing', `No such ${what}: '${which}'`, { param: 'id' });
    const now = Math.floor(Date.now() / 1000);

    if (resource === 'customers') {
      if (method === 'POST' && !id) {
        const c: Obj = { id: `cus_${this.id()}`, object: 'customer', created: now, livemode: false, metadata: metadataOf(form), email: form.email ?? null, name: form.name ?? null };
        this.customers.set(c.id, c);
        return { status: 200, body: c };
      }
      const c = id ? this.customers.get(id) : undefined;
      return c ? { status: 200, body: c } : missing('customer', id ?? '');
    }

    if (resource === 'payment_methods' && id) {
      const pm = this.paymentMethods.get(id);
      if (!pm) return missing('PaymentMethod', id);
      if (method === 'GET') return { status: 200, body: this.view(pm) };
      if (action === 'attach') {
        if (!this.customers.has(form.customer)) return missing('customer', form.customer);
        if (pm._detached) return error(400, 'invalid_request_error', 'payment_method_unexpected_state', 'This PaymentMethod was previously used without being attached to a Customer or was detached from a Customer, and may not be used again.');
        if (pm.customer && pm.customer !== form.customer) return error(400, 'invalid_request_error', 'payment_method_unexpected_state', 'The payment method you provided has already been attached to a customer.');
        pm.customer = form.customer;
        return { status: 200, body: this.view(pm) };
      }
      if (action === 'detach') { this.detach(id); return { status: 200, body: this.view(pm) }; }
    }

    if (resource === 'setup_intents') {
      if (method === 'POST' && !id && !form.payment_method) {
        // For the browser (Stripe.js confirms it with the client secret).
        if (form.customer && !this.customers.has(form.customer)) return missing('customer', form.customer);
        const si: Obj = { id: `seti_${this.id()}`, object: 'setup_intent', customer: form.customer ?? null, payment_method: null, usage: form.usage ?? 'off_session', created: now, livemode: false, metadata: metadataOf(form), status: 'requires_payment_method', client_secret: '' };
        si.client_secret = `${si.id}_secret_${this.id()}`;
        this.setupIntents.set(si.id, si);
        return { status: 200, body: si };
      }
      if (method === 'GET' && !id) {
        const data = [...this.setupIntents.values()].filter((x) => (!form.payment_method || x.payment_method === form.payment_method) && (!form.customer || x.customer === form.customer));
        return { status: 200, body: { object: 'list', data, has_more: false, url: '/v1/setup_intents' } };
      }
      if (method === 'POST' && !id) {
        const pm = this.paymentMethods.get(form.payment_method);
        if (!pm) return missing('PaymentMethod', form.payment_method);
        if (form.customer && pm.customer !== form.customer) return error(400, 'invalid_request_error', 'payment_method_unexpected_state', 'The provided PaymentMethod is not attached to this Customer.');
        const si: Obj = { id: `seti_${this.id()}`, object: 'setup_intent', customer: form.customer ?? null, payment_method: pm.id, usage: form.usage ?? 'off_session', created: now, livemode: false, metadata: metadataOf(form), status: 'requires_confirmation', client_secret: `seti_secret_${this.id()}` };
        this.setupIntents.set(si.id, si);
        if (form.confirm === 'true') {
          if (pm.type === 'sepa_debit' && !form['mandate_data[customer_acceptance][type]']) {
            si.status = 'requires_payment_method';
            return error(400, 'invalid_request_error', 'parameter_missing', 'A SEPA Direct Debit SetupIntent needs mandate_data when it is confirmed on the server.', { param: 'mandate_data', setup_intent: si });
          }
          if (pm._number === '4000000000000002' || pm._number === '4000000000009995') {
            si.status = 'requires_payment_method';
            return error(402, 'card_error', 'card_declined', 'Your card was declined.', { decline_code: pm._number.endsWith('9995') ? 'insufficient_funds' : 'generic_decline', setup_intent: si });
          }
          si.status = 'succeeded';
        }
        return { status: 200, body: si };
      }
      const si = id ? this.setupIntents.get(id) : undefined;
      if (!si) return missing('setup_intent', id ?? '');
      if ((form['expand[0]'] ?? form['expand[]']) === 'payment_method' && typeof si.payment_method === 'string') {
        const pm = this.paymentMethods.get(si.payment_method);
        return { status: 200, body: { ...si, payment_method: pm ? this.view(pm) : si.payment_method } };
      }
      return { status: 200, body: si };
    }

    if (resource === 'payment_intents') {
      if (method === 'POST' && !id) {
        const amount = Number(form.amount);
        if (!Number.isInteger(amount) || amount < 50) return error(400, 'invalid_request_error', 'amount_too_small', 'Amount must be at least 50 cents.', { param: 'amount' });
        const pm = this.paymentMethods.get(form.payment_method);
        if (!pm) return missing('PaymentMethod', form.payment_method);
        if (form.off_session === 'true' && (!form.customer || pm.customer !== form.customer)) {
          return error(400, 'invalid_request_error', 'payment_method_unexpected_state', 'An off-session payment needs a PaymentMethod attached to the given Customer.');
        }
        const piId = `pi_${this.id()}`;
        const pi = { id: piId, object: 'payment_intent', amount, amount_received: 0, amount_refunded: 0, currency: form.currency, customer: form.customer ?? null, payment_method: pm.id, description: form.description ?? null, created: now, livemode: false, metadata: metadataOf(form), status: 'requires_confirmation', latest_charge: null as string | null, client_secret: `${piId}_secret_${this.id()}`, last_payment_error: null as unknown };
        this.paymentIntents.set(pi.id, pi);
        if (form.confirm === 'true') {
          if (pm.type === 'sepa_debit') {
            // A debit needs the mandate of a SetupIntent of this Customer; the banks then take days.
            const mandate = [...this.setupIntents.values()].some((x) => x.payment_method === pm.id && x.customer === pm.customer && x.mandate);
            if (!mandate) {
              pi.status = 'requires_payment_method';
              return error(400, 'invalid_request_error', 'payment_intent_mandate_invalid', 'This PaymentMethod has no mandate for off-session debits.', { payment_intent: pi });
            }
            pi.status = 'processing';
            return { status: 200, body: pi };
          }
          if (pm._number === '4000002500003155' && form.off_session === 'true') {
            pi.status = 'requires_payment_method';
            pi.last_payment_error = { type: 'card_error', code: 'authentication_required', message: 'This transaction requires authentication.' };
            return error(402, 'card_error', 'authentication_required', 'Your card was declined. This transaction requires authentication.', { decline_code: 'authentication_required', payment_intent: pi });
          }
          if (pm._number === '4000000000000341' || pm._number === '4000000000000002') {
            pi.status = 'requires_payment_method';
            pi.last_payment_error = { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' };
            return error(402, 'card_error', 'card_declined', 'Your card was declined.', { decline_code: 'generic_decline', payment_intent: pi });
          }
          this.succeed(pi);
        }
        return { status: 200, body: pi };
      }
      const pi = id ? this.paymentIntents.get(id) : undefined;
      return pi ? { status: 200, body: pi } : missing('payment_intent', id ?? '');
    }

    if (resource === 'charges' && id && method === 'GET') {
      const ch = this.charges.get(id);
      return ch ? { status: 200, body: ch } : missing('charge', id);
    }

    if (resource === 'refunds' && method === 'POST' && !id) {
      const pi = this.paymentIntents.get(form.payment_intent);
      if (!pi) return missing('payment_intent', form.payment_intent);
      const amount = form.amount ? Number(form.amount) : pi.amount - pi.amount_refunded;
      if (pi.status !== 'succeeded') return error(400, 'invalid_request_error', 'charge_not_refundable', 'This PaymentIntent has no successful charge to refund.');
      if (!Number.isInteger(amount) || amount <= 0 || amount > pi.amount - pi.amount_refunded) {
        return error(400, 'invalid_request_error', 'amount_too_large', `Refund amount (${amount}) is greater than unrefunded amount on charge (${pi.amount - pi.amount_refunded}).`, { param: 'amount' });
      }
      pi.amount_refunded += amount;
      const charge = pi.latest_charge ? this.charges.get(pi.latest_charge) : undefined;
      if (charge) { charge.amount_refunded += amount; charge.refunded = charge.amount_refunded >= charge.amount; }
      const re: Obj = { id: `re_${this.id()}`, object: 'refund', amount, currency: pi.currency, payment_intent: pi.id, status: 'succeeded', created: now, metadata: {} };
      this.refunds.set(re.id, re);
      return { status: 200, body: re };
    }

    return error(404, 'invalid_request_error', 'resource_missing', `Unrecognized request URL (${method}: ${path}).`);
  }
}

function metadataOf(form: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(form)) {
    const m = /^metadata\[(.+)\]$/.exec(k);
    if (m) out[m[1]] = v;
  }
  return out;
}

/** A test server with PAYMENT_PROVIDER=stripe against its own fake, and a signed delivery to the webhook route. */
export interface StripeTestApp {
  fake: StripeFake;
  t: TestApp;
  /** Seconds of the test server's clock (the webhook's 5-minute tolerance is checked against it). */
  nowSeconds(): number;
  /** Posts a delivery as Stripe does (raw body, `Stripe-Signature`). */
  deliver(event: { payload: string; signature?: string }, contentType?: string): Promise<LightMyRequestResponse>;
  /** `signedEvent` at the server's time, delivered. */
  send(type: string, object: unknown, opts?: { id?: string }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function startStripeTestApp(opts: { env?: Record<string, string> } = {}): Promise<StripeTestApp> {
  const fake = await StripeFake.start();
  const t = await createTestApp({ env: { ...fake.env(), ...opts.env } });
  const nowSeconds = () => Math.floor(t.clock.now().getTime() / 1000);
  const deliver: StripeTestApp['deliver'] = (event, contentType = 'application/json; charset=utf-8') => t.app.inject({
    method: 'POST', url: '/api/v1/webhooks/stripe', payload: event.payload,
    headers: { 'content-type': contentType, ...(event.signature ? { 'stripe-signature': event.signature } : {}) },
  });
  return {
    fake, t, nowSeconds, deliver,
    send: (type, object, o = {}) => deliver(fake.signedEvent(type, object, { ...o, timestamp: nowSeconds() })),
    close: async () => { await t.close(); await fake.close(); },
  };
}
