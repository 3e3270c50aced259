import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import type { ResponseOf } from '../../api/models';
import { confirmInvoicePayment, getStripe } from '../../card';
import { Button, LinkButton } from '../../components/Button';
import { ErrorMessage, Notice } from '../../components/Feedback';

export type PaymentConfirmation = ResponseOf<'/api/v1/companies/{id}/invoices/{invoiceId}/payment-confirmation', 'get'>;
type StripeConfirmation = Extract<PaymentConfirmation, { provider: 'stripe' }>;

/** Where the page is: nothing pressed yet, confirming with Stripe.js, confirmed, or refused (in words). */
export type ConfirmPhase = { kind: 'ready' } | { kind: 'busy' } | { kind: 'done'; status: 'succeeded' | 'processing' } | { kind: 'failed'; message: string };

/**
 * The page's Stripe branch: confirms the PaymentIntent with Stripe.js (loaded through the
 * injected loader, `setStripeLoader`). One Stripe already says succeeded or processing (paid in
 * another tab, the webhook not here yet) is done without asking Stripe.js again.
 */
export async function completeInvoicePayment(data: StripeConfirmation): Promise<Exclude<ConfirmPhase, { kind: 'ready' | 'busy' }>> {
  if (data.intentStatus === 'succeeded' || data.intentStatus === 'processing') return { kind: 'done', status: data.intentStatus };
  try {
    return { kind: 'done', status: await confirmInvoicePayment(await getStripe(data.publishableKey), data) };
  } catch (e) {
    return { kind: 'failed', message: isApiError(e) ? e.detail : '' };
  }
}

/** What the server said: loading, the confirmation, or why there is nothing to confirm (with the invoice's state when known). */
export type ConfirmationState =
  | { kind: 'loading' }
  | { kind: 'loaded'; data: PaymentConfirmation }
  | { kind: 'nothing'; invoiceState?: string }
  | { kind: 'error'; message: string };

/**
 * The body of `/companies/:id/invoices/:invoiceId/confirm`, a function of what the server said and
 * where the card holder is, so a unit test renders every state (test/web/confirmPayment.test.tsx).
 */
export function ConfirmPaymentView({ state, phase, billingLink, onConfirm }: { state: ConfirmationState; phase: ConfirmPhase; billingLink: string; onConfirm: () => void }) {
  const { t } = useTranslation();
  const invoiceState = state.kind === 'nothing' ? state.invoiceState : state.kind === 'loaded' ? state.data.state : undefined;
  const settled = invoiceState === 'paid' || invoiceState === 'payment_pending';
  const stripe = state.kind === 'loaded' && state.data.provider === 'stripe' && !settled;
  return (
    <>
      {state.kind === 'loading' ? <p className="hint">{t('payments.confirm.loading')}</p> : null}
      {state.kind === 'error' ? <ErrorMessage>{state.message}</ErrorMessage> : null}
      {invoiceState === 'paid' ? <Notice tone="success">{t('payments.confirm.paid')}</Notice> : null}
      {invoiceState === 'payment_pending' ? <Notice>{t('payments.confirm.pending')}</Notice> : null}
      {state.kind === 'nothing' && !settled ? <Notice>{t('payments.confirm.nothing')}</Notice> : null}
      {state.kind === 'loaded' && state.data.provider === 'sandbox' && !settled ? <Notice>{t('payments.confirm.sandbox')}</Notice> : null}
      {phase.kind === 'done' ? <Notice tone="success">{t(phase.status === 'processing' ? 'payments.confirm.processing' : 'payments.confirm.done')}</Notice> : null}
      {phase.kind === 'failed' ? (
        <ErrorMessage focus>
          {phase.message ? <p>{phase.message}</p> : null}
          <p>{t('payments.confirm.failed')}</p>
        </ErrorMessage>
      ) : null}
      {stripe && phase.kind !== 'done' ? (
        <Button variant="primary" busy={phase.kind === 'busy'} onPress={onConfirm}>{t(phase.kind === 'failed' ? 'payments.confirm.again' : 'payments.confirm.button')}</Button>
      ) : null}
      <p><LinkButton to={billingLink}>{t('payments.confirm.back')}</LinkButton></p>
    </>
  );
}
