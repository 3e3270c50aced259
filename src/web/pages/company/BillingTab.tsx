import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BillingContact, Company } from '../../api/models';
import { queries } from '../../api/queries';
import { Button } from '../../components/Button';
import { EmptyState, ErrorMessage, Notice } from '../../components/Feedback';
import { Form, FormActions, useSubmit } from '../../components/Form';
import { Section } from '../../components/Layout';
import { QueryState } from '../../components/QueryState';
import { useFormat } from '../../i18n';
import { can } from '../../permissions';
import { useCardForm } from '../../components/PaymentCard';
import { billing, billingKeys, billingQueries, type InvoiceSummary, type UpcomingCharges } from './billingApi';
import './billing.css';
import { useSession } from '../../session';
import { cardBrandName } from '../../../shared/format';

/**
 * The Billing tab of the Company page (SPEC 4.8, issue 12): owners and accountants. This month's
 * charges per billing contact, line by line, then the invoices and credit notes with their
 * state, the PDF, and for owners "Pay now" and a card change.
 */
export function BillingTab({ company }: { company: Company }) {
  const { t } = useTranslation();
  if (!can(company.role, 'invoice.view')) return null;
  return (
    <Section title={t('billing.title')} id="billing">
      <p className="hint">{t('billing.lead')}</p>
      <Upcoming companyId={company.id} />
      <Invoices company={company} />
      {can(company.role, 'billing.manage') ? <Cards companyId={company.id} /> : null}
    </Section>
  );
}

function monthName(month: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
}

function nextMonthFirst(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

function Upcoming({ companyId }: { companyId: string }) {
  const query = useQuery(billingQueries.upcoming(companyId));
  return <QueryState query={query}>{(data) => <UpcomingView data={data} />}</QueryState>;
}

function UpcomingView({ data }: { data: UpcomingCharges }) {
  const { t } = useTranslation();
  const clientAccount = useSession().me?.accountType === 'client';
  const f = useFormat();
  return (
    <div className="billing-block">
      <h3>{t('billing.upcoming.title', { month: monthName(data.month, f.locale) })}</h3>
      {data.items.length === 0 ? <p>{t('billing.upcoming.none')}</p> : null}
      {data.items.map((item) => (
        <div key={item.billingContact.id} className="billing-contact">
          <p className="item-meta">{t('billing.upcoming.contact', { name: item.billingContact.name })}</p>
          <ul className="billing-lines" aria-label={t('billing.upcoming.contact', { name: item.billingContact.name })}>
            {item.projectedLines.map((line) => (
              <li key={`${line.appName}-${line.fromDay}`} className="billing-line">
                <span className="billing-line-main">
                  <strong className="mono">{line.appName}</strong>
                  {/* The plan in the invoice's technical words is for developers; owners see App, days and price (issue 17). */}
                  {clientAccount ? null : <span>{line.description}</span>}
                  <span className="item-meta">
                    {t('billing.upcoming.period', { from: f.date(line.fromDay), to: f.date(line.toDay), count: line.days })}
                    {' · '}
                    {t('billing.upcoming.perMonth', { price: f.money(line.unitPrice) })}
                  </span>
                </span>
                <span className="billing-amount">{f.money(line.amount)}</span>
              </li>
            ))}
          </ul>
          <p><strong>{t('billing.upcoming.soFar', { amount: f.money(item.net) })}</strong></p>
          <p className="hint">{t('billing.upcoming.projected', { amount: f.money(item.projectedNet), date: f.longDate(nextMonthFirst(data.month)) })}</p>
        </div>
      ))}
    </div>
  );
}

function Invoices({ company }: { company: Company }) {
  const query = useQuery(billingQueries.invoices(company.id));
  return <QueryState query={query}>{(items) => <InvoiceList company={company} items={items} />}</QueryState>;
}

const PAYABLE = new Set(['open', 'payment_failed', 'action_required']);

function InvoiceList({ company, items }: { company: Company; items: InvoiceSummary[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const client = useQueryClient();
  const pay = useSubmit();
  const [paid, setPaid] = useState<string | null>(null);
  const canPay = can(company.role, 'invoice.pay');
  const failing = items.some((i) => i.state === 'payment_failed' || i.state === 'action_required');
  return (
    <div className="billing-block">
      <h3>{t('billing.invoices.title')}</h3>
      {paid ? <Notice tone="success">{t('billing.invoices.paid', { number: paid })}</Notice> : null}
      {pay.error ? <ErrorMessage focus>{pay.error.detail}</ErrorMessage> : null}
      {failing && canPay ? <Notice tone="warning">{t('billing.invoices.failedHint')}</Notice> : null}
      {items.length === 0 ? <EmptyState title={t('billing.invoices.title')}>{t('billing.invoices.none')}</EmptyState> : (
        <ul className="item-list" aria-label={t('billing.invoices.list')}>
          {items.map((invoice) => (
            <li key={invoice.id} className="item billing-invoice">
              <div className="item-main">
                <p className="item-title">
                  {invoice.kind === 'invoice' ? t('billing.invoices.invoice', { number: invoice.number }) : t('billing.invoices.creditNote', { number: invoice.number })}
                  {' '}<span className={`badge badge-invoice-${invoice.state}`}>{t(`billing.state.${invoice.state}`)}</span>
                </p>
                <p className="item-meta">
                  <span>{t('billing.invoices.forMonth', { month: monthName(invoice.month, f.locale) })}</span>
                  <span>{f.date(invoice.issuedAt)}</span>
                  <span>{invoice.billingContact.name}</span>
                  <span><strong>{t('billing.invoices.total', { amount: f.money(invoice.total) })}</strong></span>
                </p>
              </div>
              <div className="billing-actions">
                <a className="btn btn-secondary" href={billing.htmlUrl(company.id, invoice.id)} target="_blank" rel="noopener">{t('billing.invoices.view')}</a>
                <a className="btn btn-secondary" href={billing.pdfUrl(company.id, invoice.id)} download={`${invoice.number}.pdf`}>{t('billing.invoices.pdf')}</a>
                {canPay && invoice.kind === 'invoice' && PAYABLE.has(invoice.state) ? (
                  <Button variant="primary" busy={pay.busy} onPress={() => void pay.run(async () => {
                    setPaid(null);
                    try {
                      await billing.pay(company.id, invoice.id);
                      setPaid(invoice.number);
                    } finally {
                      await client.invalidateQueries({ queryKey: billingKeys.invoices(company.id) });
                    }
                  })}>{t('billing.invoices.payNow')}</Button>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Cards({ companyId }: { companyId: string }) {
  const query = useQuery(queries.billingContacts(companyId));
  return (
    <QueryState query={query}>{({ items }) => (
      <div className="billing-block">
        {items.map((contact) => <CardChange key={contact.id} companyId={companyId} contact={contact} />)}
      </div>
    )}</QueryState>
  );
}

function CardChange({ companyId, contact }: { companyId: string; contact: BillingContact }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [saved, setSaved] = useState(false);
  const card = useCardForm({ purpose: 'card-change', companyId, contactId: contact.id }, contact.currency === 'USD' ? 'USD' : 'EUR');
  const { run, busy, error, fieldError } = useSubmit();
  const pm = contact.paymentMethod;
  const current = pm ? `${pm.brand ? cardBrandName(pm.brand) : pm.type} •••• ${pm.last4}` : '';
  return (
    <div className="billing-card">
      {saved ? <Notice tone="success">{t('billing.card.saved')}</Notice> : null}
      {!open ? (
        <p className="billing-card-row">
          <span><strong>{contact.name}</strong> {pm ? t('billing.card.current', { card: current }) : null}</span>
          <Button onPress={() => { setOpen(true); setSaved(false); }}>{t('billing.card.change')}</Button>
        </p>
      ) : (
        <Form label={t('billing.card.title', { name: contact.name })} error={error} busy={busy} onSubmit={() => run(async () => {
          const token = await card.tokenize();
          await billing.changeCard(companyId, contact.id, token);
          await client.invalidateQueries({ queryKey: queries.billingContacts(companyId).queryKey });
          setOpen(false);
          setSaved(true);
          card.reset();
        })}>
          <h4>{t('billing.card.title', { name: contact.name })}</h4>
          {open ? card.fields(fieldError) : null}
          <FormActions>
            <Button type="submit" variant="primary" busy={busy}>{t('billing.card.save')}</Button>
            <Button onPress={() => setOpen(false)}>{t('billing.card.cancel')}</Button>
          </FormActions>
        </Form>
      )}
    </div>
  );
}
