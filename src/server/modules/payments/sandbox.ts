import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { sandboxCharges, sandboxPaymentTokens } from '../../db/schema.js';
import type { Clock } from '../../shared/clock.js';
import { AppError, type FieldError } from '../../shared/errors.js';
import type { ChargeOutcome, ChargeRequest, PaymentMethodInfo, PaymentProvider, RefundOutcome, RefundRequest } from './provider.js';

export interface SandboxCard { number: string; expMonth: number; expYear: number; cvc: string }

/** Test cards of API.md for charges (invoices): they attach fine, then charges fail or need the card holder. */
const CHARGE_OUTCOMES: Record<string, string> = {
  '4000000000000341': 'charge_declined',
  '4000002500003155': 'requires_action',
};

/** Test cards of API.md; every other valid number succeeds. */
const OUTCOMES: Record<string, { outcome: 'declined' | 'insufficient_funds'; detail: string }> = {
  '4000000000000002': { outcome: 'declined', detail: 'The card was declined by the bank. Please use another card.' },
  '4000000000009995': { outcome: 'insufficient_funds', detail: 'The card was declined: insufficient funds. Please use another card.' },
};

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return sum % 10 === 0;
}

export function cardBrand(digits: string): string {
  if (/^4/.test(digits)) return 'visa';
  if (/^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))/.test(digits)) return 'mastercard';
  if (/^3[47]/.test(digits)) return 'amex';
  if (/^6(011|5)/.test(digits)) return 'discover';
  return 'unknown';
}

/**
 * The sandbox payment provider: real code standing in for the provider's side, with its
 * own table. `tokenize` is what the provider's browser endpoint does; the server only
 * uses `describe` and `authorize`, like it would with Stripe.
 */
export class SandboxPaymentProvider implements PaymentProvider {
  readonly name = 'sandbox' as const;
  private readonly charging: SandboxCharging;
  constructor(private readonly db: Db, private readonly clock: Clock) {
    this.charging = new SandboxCharging(db, clock);
  }

  charge(request: ChargeRequest): Promise<ChargeOutcome> { return this.charging.charge(request); }
  refund(request: RefundRequest): Promise<RefundOutcome> { return this.charging.refund(request); }

  async tokenize(card: SandboxCard): Promise<{ token: string; brand: string; last4: string }> {
    const digits = card.number.replace(/[\s-]/g, '');
    const errors: FieldError[] = [];
    if (!/^\d{12,19}$/.test(digits) || !luhnValid(digits)) errors.push({ path: 'number', message: 'This card number is not valid.', reason: 'card_number_invalid' });
    const now = this.clock.now();
    const thisMonth = now.getUTCFullYear() * 12 + now.getUTCMonth();
    if (!Number.isInteger(card.expMonth) || card.expMonth < 1 || card.expMonth > 12) {
      errors.push({ path: 'expMonth', message: 'Enter the expiry month as 1 to 12.', reason: 'card_expiry_month' });
    } else if (card.expYear * 12 + card.expMonth - 1 < thisMonth) {
      errors.push({ path: 'expYear', message: 'This card has expired.', reason: 'card_expired' });
    } else if (card.expYear > now.getUTCFullYear() + 20) {
      errors.push({ path: 'expYear', message: 'This expiry year is too far in the future.', reason: 'card_expiry_far' });
    }
    const brand = cardBrand(digits);
    const cvcPattern = brand === 'amex' ? /^\d{4}$/ : /^\d{3}$/;
    if (!cvcPattern.test(card.cvc)) errors.push({ path: 'cvc', message: `Enter the ${brand === 'amex' ? '4' : '3'}-digit security code.`, reason: brand === 'amex' ? 'card_cvc_4' : 'card_cvc_3' });
    if (errors.length) throw new AppError('validation_failed', errors.map((e) => e.message).join(' '), errors);

    const token = `tok_sandbox_${randomBytes(18).toString('base64url')}`;
    const last4 = digits.slice(-4);
    await this.db.insert(sandboxPaymentTokens).values({
      token, brand, last4, expMonth: card.expMonth, expYear: card.expYear,
      outcome: OUTCOMES[digits]?.outcome ?? CHARGE_OUTCOMES[digits] ?? 'ok', createdAt: now,
    });
    return { token, brand, last4 };
  }

  async describe(token: string): Promise<PaymentMethodInfo> {
    const [row] = await this.db.select().from(sandboxPaymentTokens).where(eq(sandboxPaymentTokens.token, token));
    if (!row) throw unknownToken();
    return info(row);
  }

  async authorize(token: string, idempotencyKey: string): Promise<PaymentMethodInfo> {
    // One guarded statement: the token is used once, or again only under the same key (a retry).
    const [row] = await this.db.update(sandboxPaymentTokens)
      .set({ usedAt: this.clock.now(), usedFor: idempotencyKey })
      .where(and(eq(sandboxPaymentTokens.token, token),
        or(isNull(sandboxPaymentTokens.usedAt), eq(sandboxPaymentTokens.usedFor, idempotencyKey))))
      .returning();
    if (!row) {
      const [exists] = await this.db.select({ token: sandboxPaymentTokens.token }).from(sandboxPaymentTokens).where(eq(sandboxPaymentTokens.token, token));
      if (exists) {
        const message = 'This card entry was already used. Please enter the card again.';
        throw new AppError('validation_failed', message, [{ path: 'paymentMethod.token', message, reason: 'card_entry_used' }]);
      }
      throw unknownToken();
    }
    const outcome = Object.values(OUTCOMES).find((o) => o.outcome === row.outcome);
    if (outcome) throw new AppError('payment_declined', outcome.detail, undefined, { reason: outcome.outcome });
    return info(row);
  }
}

export class SandboxCharging {
  constructor(private readonly db: Db, private readonly clock: Clock) {}

  /** The card behind a stored payment method's reference (`pm_sandbox_` + the token's hash). */
  private async outcomeOf(reference: string): Promise<string | null> {
    const result = await this.db.execute(sql`
      SELECT outcome FROM sandbox_payment_tokens
      WHERE 'pm_sandbox_' || left(encode(sha256(convert_to(token, 'UTF8')), 'hex'), 24) = ${reference} LIMIT 1`);
    return (result.rows as unknown as { outcome: string }[])[0]?.outcome ?? null;
  }

  /** One row per idempotency key: a second call with the key answers the first call's result. */
  private async once(key: string, row: Omit<typeof sandboxCharges.$inferInsert, 'idempotencyKey' | 'createdAt'>): Promise<typeof sandboxCharges.$inferSelect> {
    const [inserted] = await this.db.insert(sandboxCharges).values({ ...row, idempotencyKey: key, createdAt: this.clock.now() })
      .onConflictDoNothing().returning();
    if (inserted) return inserted;
    const [existing] = await this.db.select().from(sandboxCharges).where(eq(sandboxCharges.idempotencyKey, key));
    return existing;
  }

  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    const outcome = await this.outcomeOf(request.paymentMethod);
    const state = outcome === null || outcome === 'charge_declined' || outcome === 'declined' || outcome === 'insufficient_funds'
      ? 'declined' : outcome === 'requires_action' ? 'action_required' : 'paid';
    const row = await this.once(request.idempotencyKey, {
      kind: 'charge', paymentMethod: request.paymentMethod, amountCents: request.amountCents, currency: request.currency, state,
      reference: `ch_sandbox_${randomBytes(12).toString('base64url')}`,
    });
    if (row.state === 'paid') return { state: 'paid', reference: row.reference };
    if (row.state === 'action_required') return { state: 'action_required', reference: row.reference, message: 'Your bank asks you to confirm this payment (3-D Secure). Please pay again and confirm, or use another card.' };
    return { state: 'declined', reference: row.reference, message: 'The card was declined by the bank. Please use another card.' };
  }

  async refund(request: RefundRequest): Promise<RefundOutcome> {
    const row = await this.once(request.idempotencyKey, {
      kind: 'refund', paymentMethod: request.chargeReference, amountCents: request.amountCents, currency: request.currency, state: 'refunded',
      reference: `re_sandbox_${randomBytes(12).toString('base64url')}`,
    });
    return { state: 'refunded', reference: row.reference };
  }
}

function unknownToken() {
  const message = 'This card entry is not known to the payment provider. Please enter the card again.';
  return new AppError('validation_failed', message, [{ path: 'paymentMethod.token', message, reason: 'card_entry_unknown' }]);
}

function info(row: typeof sandboxPaymentTokens.$inferSelect): PaymentMethodInfo {
  return {
    type: 'card', brand: row.brand, last4: row.last4, expMonth: row.expMonth, expYear: row.expYear,
    reference: `pm_sandbox_${createHash('sha256').update(row.token).digest('hex').slice(0, 24)}`,
  };
}
