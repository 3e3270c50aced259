import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { payments } from '../../api/endpoints';
import { Page } from '../../components/Layout';
import { billing } from './billingApi';
import { completeInvoicePayment, ConfirmPaymentView, type ConfirmationState, type ConfirmPhase } from './ConfirmPaymentView';

/**
 * `/companies/:id/invoices/:invoiceId/confirm` (SPEC 4.11): the card holder confirms the
 * payment of an `action_required` invoice with Stripe.js (3-D Secure); the webhook then marks
 * the invoice paid. With the sandbox it says how to pay on the Billing tab. An invoice with
 * nothing to confirm says why (paid already, a direct debit in progress).
 */
export function ConfirmPaymentPage({ companyId, invoiceId }: { companyId: string; invoiceId: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const query = useQuery({ queryKey: ['payments', 'confirmation', companyId, invoiceId], queryFn: () => payments.confirmation(companyId, invoiceId), retry: false });
  const nothing = query.isError && isApiError(query.error, 'invoice_not_payable');
  // Nothing to confirm: the invoice itself says why (paid, a debit in progress, …).
  const invoice = useQuery({ queryKey: ['payments', 'confirmation', companyId, invoiceId, 'invoice'], queryFn: () => billing.invoice(companyId, invoiceId), enabled: nothing, retry: false });
  const [phase, setPhase] = useState<ConfirmPhase>({ kind: 'ready' });
  const data = query.data;

  const confirm = async () => {
    if (!data || data.provider !== 'stripe') return;
    setPhase({ kind: 'busy' });
    const next = await completeInvoicePayment(data);
    setPhase(next);
    if (next.kind === 'done') void client.invalidateQueries({ queryKey: ['companies', companyId] });
  };

  const state: ConfirmationState = query.isPending ? { kind: 'loading' }
    : nothing ? { kind: 'nothing', ...(invoice.data ? { invoiceState: invoice.data.state } : {}) }
      : query.isError ? { kind: 'error', message: query.error.message }
        : { kind: 'loaded', data: data! };

  return (
    // The bank's question is the lead only while there is something to confirm.
    <Page title={t('payments.confirm.title')} lead={state.kind === 'nothing' || (state.kind === 'loaded' && state.data.state !== 'action_required') ? undefined : t('payments.confirm.lead')}>
      <ConfirmPaymentView state={state} phase={phase} billingLink={`/companies/${encodeURIComponent(companyId)}?tab=billing`} onConfirm={() => void confirm()} />
    </Page>
  );
}
