import type { DbOrTx } from '../../db/client.js';
import { companiesRepo } from '../companies/repo.js';
import { enqueueMail } from '../mail/outbox.js';
import type { InvoiceRow } from './invoiceRepo.js';
import type { BuyerSnapshot, SellerSnapshot } from './invoiceSnapshot.js';
import { formatMoney } from './money.js';

/** The mails of the payment steps (SPEC 4.8), queued in the transaction that records the step. */
export function billingUrl(publicUrl: string, companyId: string): string {
  return `${publicUrl}/companies/${encodeURIComponent(companyId)}?tab=billing`;
}

export async function queueReceipt(tx: DbOrTx, publicUrl: string, invoice: InvoiceRow, at: Date): Promise<void> {
  const buyer = invoice.buyer as unknown as BuyerSnapshot;
  const seller = invoice.seller as unknown as SellerSnapshot;
  const total = formatMoney(invoice.totalCents, invoice.currency);
  await enqueueMail(tx, {
    kind: 'invoice-receipt', to: buyer.invoiceEmail,
    subject: `Receipt: ${total} paid for invoice ${invoice.number}`,
    paragraphs: [
      `Hello ${buyer.name},`,
      `thank you: ${total} for invoice ${invoice.number} was charged to your card on ${at.toISOString().slice(0, 10)}. The invoice is paid.`,
      `${seller.name}`,
    ],
    action: { label: 'See your invoices', url: billingUrl(publicUrl, invoice.companyId) },
  }, at);
}

/** A failed charge: the invoice e-mail and every owner hear of it, with a link to change the card and pay. */
export async function queuePaymentProblem(tx: DbOrTx, publicUrl: string, invoice: InvoiceRow, state: 'declined' | 'action_required', message: string, nextTry: Date | null, at: Date): Promise<void> {
  const buyer = invoice.buyer as unknown as BuyerSnapshot;
  const total = formatMoney(invoice.totalCents, invoice.currency);
  const suspendOn = new Date(invoice.issuedAt.getTime() + 14 * 86_400_000).toISOString().slice(0, 10);
  const recipients = new Set([buyer.invoiceEmail, ...(await companiesRepo.ownerEmails(tx, invoice.companyId))]);
  for (const to of recipients) {
    await enqueueMail(tx, {
      kind: state === 'declined' ? 'invoice-payment-failed' : 'invoice-action-required', to,
      subject: state === 'declined' ? `Payment failed for invoice ${invoice.number} (${total})` : `Please confirm the payment of invoice ${invoice.number} (${total})`,
      paragraphs: [
        'Hello,',
        state === 'declined'
          ? `we could not charge ${total} for invoice ${invoice.number} of ${buyer.name}: ${message}`
          : `the bank asks the card holder to confirm the payment of ${total} for invoice ${invoice.number} of ${buyer.name}.`,
        nextTry
          ? `We try again on ${nextTry.toISOString().slice(0, 10)}. To pay now, an owner of the Company changes the card on the Billing tab and presses "Pay now".`
          : 'To pay, an owner of the Company changes the card on the Billing tab and presses "Pay now".',
        `If the invoice is still unpaid on ${suspendOn}, the Apps billed to ${buyer.name} are suspended until it is paid (nothing is deleted).`,
      ],
      action: { label: 'Open the invoice', url: billingUrl(publicUrl, invoice.companyId) },
    }, at);
  }
}
