import type Stripe from 'stripe';
import { stripeWebhookEvents } from '../../db/schema.js';
import type { Ctx } from '../../services.js';
import { mailOwnersToUpdateCard } from './cardGone.js';
import { chargeRefunded, paymentFailed, paymentSucceeded, setupSucceeded } from './stripeInvoiceEvents.js';
import type { Tx } from '../../db/client.js';
import { inTransaction } from '../../shared/transaction.js';

/** Stripe's own default; older deliveries (replays of a captured request) are refused. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * What an event does, given the object as Stripe says it is *now* (re-read, not the event's
 * copy, so an out-of-order delivery acts on the current state). Runs in the transaction that
 * records the event id, so an event's effects happen exactly once.
 */
export type StripeEventHandler = (tx: Tx, ctx: Ctx, current: unknown, event: Stripe.Event) => Promise<void>;

/** The events the Dashboard acts on; every other event is acknowledged and recorded. */
export const STRIPE_EVENT_HANDLERS: Partial<Record<string, StripeEventHandler>> = {
  'payment_method.detached': mailOwnersToUpdateCard,
  'customer.source.expiring': mailOwnersToUpdateCard,
  'payment_intent.succeeded': paymentSucceeded,
  'payment_intent.payment_failed': paymentFailed,
  'setup_intent.succeeded': setupSucceeded,
  'charge.refunded': chargeRefunded,
};

/** Re-reads the event's object from Stripe (null when Stripe no longer knows it). */
async function reread(stripe: Stripe, object: { id?: string; object?: string }): Promise<unknown> {
  const id = object.id ?? '';
  const tolerate404 = <T>(p: Promise<T>) => p.catch((err: { statusCode?: number }) => {
    if (err.statusCode === 404) return null;
    throw err;
  });
  switch (object.object) {
    case 'payment_intent': return tolerate404(stripe.paymentIntents.retrieve(id));
    case 'setup_intent': return tolerate404(stripe.setupIntents.retrieve(id, { expand: ['payment_method'] }));
    case 'payment_method': return tolerate404(stripe.paymentMethods.retrieve(id));
    case 'charge': return tolerate404(stripe.charges.retrieve(id));
    default: return object;
  }
}

/** Records the event once and applies its handler; a second delivery changes nothing. */
export async function processStripeEvent(ctx: Ctx, stripe: Stripe, event: Stripe.Event): Promise<'processed' | 'duplicate' | 'ignored'> {
  const object = event.data.object as { id?: string; object?: string };
  const handler = STRIPE_EVENT_HANDLERS[event.type];
  // Outside any transaction: the provider is never called inside one.
  const current = handler ? await reread(stripe, object) : object;
  return inTransaction(ctx.db, async (tx) => {
    const [inserted] = await tx.insert(stripeWebhookEvents)
      .values({ eventId: event.id, type: event.type, objectId: object.id ?? null, receivedAt: ctx.clock.now() })
      .onConflictDoNothing().returning();
    if (!inserted) return 'duplicate';
    if (!handler) return 'ignored';
    await handler(tx, ctx, current, event);
    return 'processed';
  });
}
