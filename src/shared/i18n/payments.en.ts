/**
 * English words of the Stripe card form (Payment Element) and the payment completion page
 * (issue 15, SPEC 4.11); German in payments.de.ts.
 */
export const paymentsEn = {
  payments: {
    card: {
      label: 'Card',
      loading: 'Loading the secure card form…',
      notReady: 'The card form is still loading. Please wait a moment and try again.',
      check: 'Please check the card details.',
      declined: 'The card could not be set up. Please check it or use another card.',
      unavailable: 'The secure card form could not be loaded. Please check your connection and reload the page.',
    },
    confirm: {
      title: 'Confirm the payment of an invoice',
      lead: 'Your bank asks the card holder to confirm this payment (3-D Secure).',
      loading: 'Loading the invoice…',
      button: 'Confirm the payment',
      done: 'Thank you: the payment is confirmed. The invoice shows as paid in a moment.',
      failed: 'The payment was not confirmed. Please try again, or change the card on the Billing tab and pay there.',
      nothing: 'This invoice needs no confirmation now.',
      paid: 'This invoice is paid already. Thank you: nothing more to do.',
      pending: 'This invoice is being paid by direct debit. Banks take a few days; the invoice then shows as paid. Nothing to confirm here.',
      processing: 'Thank you: the payment is confirmed. The bank is still processing it; the invoice shows as paid when it is done.',
      again: 'Try again',
      sandbox: 'With the test payments (sandbox) nothing can be confirmed here: change the card on the Billing tab and choose “Pay now”.',
      back: 'Back to the Billing tab',
    },
  },
} as const;
