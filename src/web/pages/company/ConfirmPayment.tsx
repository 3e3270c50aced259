import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { payments } from '../../api/endpoints';
import { confirmInvoicePayment, getStripe } from '../../card';
import { Button, LinkButton } from '../../components/Button';
import { ErrorMessage, Notice } from '../../components/Feedback';
import { Page } from '../../components/Layout';

/**
 * `/companies/:id/invoices/:invoiceId/confirm` (SPEC 4.11): the card holder confirms the
 * payment of an `action_required` invoice with Stripe.js (3-D Secure); the webhook then marks
 * the invoice paid. With the sandbox it says how to pay on the Billing tab.
 */
export function ConfirmPaymentPage({ companyId, invoiceId }: { companyId: string; invoiceId: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const query = useQuery({ queryKey: ['payments', 'confirmation', companyId, invoiceId], queryFn: () => payments.confirmation(companyId, invoiceId), retry: false });
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const billing = `/companies/${encodeURIComponent(companyId)}?tab=billing`;
  const data = query.data;

  const confirm = async () => {
    if (!data || data.provider !== 'stripe') return;
    setBusy(true);
    setError(null);
    try {
      await confirmInvoicePayment(await getStripe(data.publishableKey), data);
      setDone(true);
      void client.invalidateQueries({ queryKey: ['invoices'] });
    } catch (e) {
      setError(isApiError(e) ? e.detail : t('payments.confirm.failed'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('payments.confirm.title')} lead={t('payments.confirm.lead')}>
      {query.isPending ? <p className="hint">{t('payments.confirm.loading')}</p> : null}
      {query.isError ? <ErrorMessage>{isApiError(query.error, 'invoice_not_payable') ? t('payments.confirm.nothing') : query.error.message}</ErrorMessage> : null}
      {data?.provider === 'sandbox' ? <Notice>{t('payments.confirm.sandbox')}</Notice> : null}
      {done ? <Notice tone="success">{t('payments.confirm.done')}</Notice> : null}
      {error ? <ErrorMessage focus>{error}</ErrorMessage> : null}
      {data?.provider === 'stripe' && !done ? <Button variant="primary" busy={busy} onPress={() => void confirm()}>{t('payments.confirm.button')}</Button> : null}
      <p><LinkButton to={billing}>{t('payments.confirm.back')}</LinkButton></p>
    </Page>
  );
}
