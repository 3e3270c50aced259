import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { invitee } from '../../api/endpoints';
import type { Currency, Quote } from '../../api/models';
import { useFormat } from '../../i18n';

export interface QuoteInput { country: string; vatNumber?: string; currency?: Currency }

/**
 * The offer in numbers for what the person has typed so far (issue 17): asked of the server,
 * which applies the invoices' own VAT rules, a moment after typing stops.
 */
export function useQuote(input: QuoteInput | null) {
  const wanted = input && /^[A-Z]{2}$/.test(input.country) ? input : null;
  const [settled, setSettled] = useState(wanted);
  const key = JSON.stringify(wanted);
  useEffect(() => {
    const id = setTimeout(() => setSettled(wanted), 300);
    return () => clearTimeout(id);
  }, [key]);
  return useQuery({
    queryKey: ['invitation', 'quote', settled],
    queryFn: () => invitee.quote({ country: settled!.country, ...(settled!.vatNumber ? { vatNumber: settled!.vatNumber } : {}), ...(settled!.currency ? { currency: settled!.currency } : {}) }),
    enabled: !!settled,
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: 60_000,
  });
}

/** "€26.00 plus 19 % VAT (€4.94) = €30.94 a month", as the web says it. */
export function useMonthlyWords() {
  const { t } = useTranslation();
  const f = useFormat();
  return (quote: Quote) => quote.vatRate === 0
    ? t('client.money.breakdownNoVat', { net: f.money(quote.monthly.net) })
    : t('client.money.breakdown', { net: f.money(quote.monthly.net), rate: quote.vatRate.toLocaleString(f.locale), vat: f.money(quote.monthly.vat), gross: f.money(quote.monthly.gross) });
}

/** Net, VAT and gross a month, why there is no VAT when there is none, and the first invoice. */
export function PriceBreakdown({ quote }: { quote: Quote }) {
  const { t } = useTranslation();
  const f = useFormat();
  const monthly = useMonthlyWords();
  const day = (d: string) => f.longDate(`${d}T12:00:00Z`);
  return (
    <div className="price-breakdown" aria-live="polite">
      <p><strong className="price">{monthly(quote)}</strong></p>
      {quote.treatment === 'eu_reverse_charge' ? <p className="hint">{t('client.money.reverseCharge')}</p> : null}
      {quote.treatment === 'outside_eu' ? <p className="hint">{t('client.money.outsideEu')}</p> : null}
      {quote.vatNumberProblem ? <p className="hint">{t('client.money.vatNumberProblem')}</p> : null}
      <p>
        <Trans i18nKey="client.money.firstInvoice" components={{ strong: <strong /> }}
          values={{ date: day(quote.firstInvoice.issuedOn), from: day(quote.firstInvoice.fromDay), to: day(quote.firstInvoice.toDay), gross: f.money(quote.firstInvoice.gross) }} />
        {' '}{t('client.money.thenMonthly')}
      </p>
    </div>
  );
}
