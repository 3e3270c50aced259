/**
 * The payment provider as the server sees it. Card numbers never reach the server: the
 * browser hands them to the provider, which returns a token (SPEC section 2). The server
 * only stores what `authorize` returns.
 *
 * Rules for callers: never call the provider inside a database transaction; authorise
 * first, then commit. `authorize` is idempotent per (token, idempotencyKey): a retry with
 * the same key returns the same payment method; a token already used under another key is
 * refused, so one token serves one payment method.
 */
export interface PaymentMethodInfo {
  type: 'card' | 'sepa_debit';
  brand: string | null;
  last4: string;
  expMonth: number | null;
  expYear: number | null;
  /** The provider's id of the stored payment method. */
  reference: string;
}

export interface PaymentProvider {
  readonly name: 'sandbox' | 'stripe';
  /** What a token stands for, without using it. Throws validation_failed for an unknown token. */
  describe(token: string): Promise<PaymentMethodInfo>;
  /**
   * Turns a token into a stored, chargeable payment method (a zero-amount authorisation).
   * Throws AppError('payment_declined') when the provider declines, validation_failed for an
   * unknown or already used token. `replacing`: the reference of the card this one replaces
   * (a card change), so Stripe keeps the billing contact's one Customer.
   */
  authorize(token: string, idempotencyKey: string, options?: { replacing?: string }): Promise<PaymentMethodInfo>;
  /**
   * Charges a stored payment method (an invoice, SPEC 4.8). Idempotent per key: the same key
   * always gives the first answer and never a second charge, whatever changed since.
   */
  charge(request: ChargeRequest): Promise<ChargeOutcome>;
  /** Refunds (part of) a charge; idempotent per key like `charge`. */
  refund(request: RefundRequest): Promise<RefundOutcome>;
}

export interface ChargeRequest {
  idempotencyKey: string;
  amountCents: number;
  currency: 'EUR' | 'USD';
  /** The provider's id of the stored payment method (`PaymentMethodInfo.reference`). */
  paymentMethod: string;
  description: string;
}

export type ChargeOutcome =
  | { state: 'paid'; reference: string }
  /** The bank said no; `message` is for the card holder. */
  | { state: 'declined'; reference: string; message: string }
  /** The card holder must confirm (3-D Secure); nothing was charged. */
  | { state: 'action_required'; reference: string; message: string }
  /**
   * Started, not settled: a direct debit the banks process for days (SEPA). Nothing is known yet;
   * the provider's webhook later says paid or failed (ADR 0096).
   */
  | { state: 'pending'; reference: string };

export interface RefundRequest { idempotencyKey: string; chargeReference: string; amountCents: number; currency: 'EUR' | 'USD' }
export interface RefundOutcome { state: 'refunded'; reference: string }

/** The part of a payment method any owner or accountant may see (SPEC section 5: brand and last 4). */
export interface PaymentMethodView {
  type: 'card' | 'sepa_debit';
  brand?: string;
  last4: string;
  expMonth?: number;
  expYear?: number;
}
