import type { TestApp } from './testApp.js';

/**
 * Seams for "between the check and the commit" (issue 10). Nothing here fakes the
 * database or the payment provider: the real sandbox provider and the real transaction
 * run; the test only gets to act in the window between them, as a second person would.
 */

/**
 * Runs `during` once, right after the next successful card authorisation of the payment
 * provider (the accept checks the invitation, authorises the card, then opens its
 * transaction). Returns a function that tells whether the window was reached.
 */
export function duringNextAuthorisation(t: TestApp, during: () => Promise<void>): () => boolean {
  const payments = t.services.payments;
  const real = payments.authorize;
  let reached = false;
  payments.authorize = async (token, key) => {
    payments.authorize = real;
    const result = await real.call(payments, token, key);
    reached = true;
    await during();
    return result;
  };
  return () => reached;
}

/**
 * Runs `during` once, right before the next database transaction opens (the team accept
 * checks the invitation, then opens its transaction). Queries outside transactions are
 * unaffected. Returns a function that tells whether the window was reached.
 */
export function beforeNextTransaction(t: TestApp, during: () => Promise<void>): () => boolean {
  const db = t.services.db as unknown as { transaction: (...args: unknown[]) => Promise<unknown> };
  const real = db.transaction;
  let reached = false;
  db.transaction = async (...args: unknown[]) => {
    db.transaction = real;
    reached = true;
    await during();
    return real.apply(db, args);
  };
  return () => reached;
}
