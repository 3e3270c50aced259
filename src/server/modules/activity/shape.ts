import { grantOf, type Role } from '../../authz/permissions.js';

/**
 * What each role reads of an activity event's details: the one place that decides it
 * (issue 9, defect 13; SPEC section 3).
 * - Owners and accountants: everything (accountants only see billing events at all).
 * - Admins: billing contacts by id and name only — never the address, VAT number, invoice
 *   e-mail or payment method, not even as "before" and "after" of a change.
 * - Collaborators: events of their assigned Apps, without billing details.
 */

/** Keys that carry billing contact details beyond id and name, wherever they appear. */
const BILLING_DETAIL_KEYS = new Set([
  'address', 'line1', 'line2', 'postalCode', 'city', 'country', 'vatNumber', 'invoiceEmail', 'paymentMethod',
  'brand', 'last4', 'pmBrand', 'pmLast4', 'expMonth', 'expYear',
]);

function scrub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrub);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>)
    .filter(([key]) => !BILLING_DETAIL_KEYS.has(key))
    .map(([key, item]) => [key, scrub(item)]));
}

export interface ShapedEvent { action: string; details: Record<string, unknown> }

/** The details of one event as `role` may read them. */
export function detailsFor(role: Role, event: ShapedEvent): Record<string, unknown> {
  const billing = grantOf(role, 'billing.view');
  if (billing === 'yes' || billing === 'read-only') return event.details;
  if (event.action.startsWith('billing_contact.')) {
    // By name only: which contact, nothing of what is in it.
    const { contactId, name } = event.details as { contactId?: unknown; name?: unknown };
    return { ...(contactId !== undefined ? { contactId } : {}), ...(name !== undefined ? { name } : {}) };
  }
  return scrub(event.details) as Record<string, unknown>;
}
