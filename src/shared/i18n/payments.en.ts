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
  },
} as const;
