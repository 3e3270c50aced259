import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BillingContact, Company } from '../../api/models';
import { queries } from '../../api/queries';
import { Button, LinkButton } from '../../components/Button';
import { paymentMethodText } from '../../paymentMethod';
import { EmptyState, ErrorMessage, Notice } from '../../components/Feedback';
import { Form, FormActions, invalid, useSubmit } from '../../components/Form';
import { BillingContactFields, billingContactInput, billingContactProblems, emptyBillingContact, type BillingContactDraft } from '../../components/BillingContactFields';
import { Section } from '../../components/Layout';
import { QueryState } from '../../components/QueryState';
import { useFormat } from '../../i18n';
import { can } from '../../permissions';
import { useCardForm } from '../../components/PaymentCard';
import { billing, billingKeys, billingQueries, type InvoiceSummary, type UpcomingCharges } from './billingApi';
import './billing.css';
import { useSession } from '../../session';
import { formatUtcMonth } from '../../../shared/format';

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
  return formatUtcMonth(month, locale);
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
  const [paid, setPaid] = useState<{ number: string; pending: boolean } | null>(null);
  const canPay = can(company.role, 'invoice.pay');
  const failing = items.some((i) => i.state === 'payment_failed' || i.state === 'action_required');
  const pending = items.some((i) => i.state === 'payment_pending');
  return (
    <div className="billing-block">
      <h3>{t('billing.invoices.title')}</h3>
      {paid ? <Notice tone="success">{t(paid.pending ? 'billing.invoices.pending' : 'billing.invoices.paid', { number: paid.number })}</Notice> : null}
      {pay.error ? <ErrorMessage focus>{pay.error.detail}</ErrorMessage> : null}
      {failing && canPay ? <Notice tone="warning">{t('billing.invoices.failedHint')}</Notice> : null}
      {pending ? <p className="hint">{t('billing.invoices.pendingHint')}</p> : null}
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
                      const result = await billing.pay(company.id, invoice.id);
                      // A SEPA debit is started, not finished (payment_pending, ADR 0096).
                      setPaid({ number: invoice.number, pending: result.state === 'payment_pending' });
                    } finally {
                      await client.invalidateQueries({ queryKey: billingKeys.invoices(company.id) });
                    }
                  })}>{t('billing.invoices.payNow')}</Button>
                ) : null}
                {/* 3-D Secure: the completion page (the one the mail links to) confirms with the card holder (SPEC 4.11). */}
                {canPay && invoice.state === 'action_required' ? (
                  <LinkButton to={`/companies/${encodeURIComponent(company.id)}/invoices/${encodeURIComponent(invoice.id)}/confirm`}>{t('billing.invoices.confirm')}</LinkButton>
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
        <AddContact companyId={companyId} />
      </div>
    )}</QueryState>
  );
}

/** A second invoice address with its own card (POST /billing-contacts); the card form is the provider's (ADR 0085). */
function AddContact({ companyId }: { companyId: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  const [contact, setContact] = useState<BillingContactDraft>(() => emptyBillingContact());
  const card = useCardForm({ purpose: 'billing-contact', companyId }, contact.currency === 'USD' ? 'USD' : 'EUR');
  const { run, busy, error, fieldError } = useSubmit();
  if (!open) {
    return (
      <div className="billing-card">
        {added ? <Notice tone="success">{t('billing.contact.added', { name: added })}</Notice> : null}
        <p><Button onPress={() => { setOpen(true); setAdded(null); }}>{t('billing.contact.add')}</Button></p>
      </div>
    );
  }
  return (
    <div className="billing-card">
      <Form label={t('billing.contact.title')} error={error} busy={busy} onSubmit={() => run(async () => {
        const problems = [...billingContactProblems(contact), ...card.problems()];
        if (problems.length) throw invalid(problems);
        const token = await card.tokenize();
        const created = await billing.addContact(companyId, billingContactInput(contact), token);
        await client.invalidateQueries({ queryKey: queries.billingContacts(companyId).queryKey });
        setAdded(created.name);
        setOpen(false);
        setContact(emptyBillingContact());
        card.reset();
      })}>
        <h4>{t('billing.contact.title')}</h4>
        <p className="hint">{t('billing.contact.hint')}</p>
        <BillingContactFields value={contact} onChange={setContact} fieldError={fieldError} />
        {card.fields(fieldError)}
        <FormActions>
          <Button type="submit" variant="primary" busy={busy}>{t('billing.contact.save')}</Button>
          <Button onPress={() => setOpen(false)}>{t('billing.card.cancel')}</Button>
        </FormActions>
      </Form>
    </div>
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
  const current = pm ? paymentMethodText(pm) : '';
  return (
    <div className="billing-card">
      {saved ? <Notice tone="success">{t('billing.card.saved')}</Notice> : null}
      {!open ? (
        <p className="billing-card-row">
          <span><strong>{contact.name}</strong> {pm ? t(pm.type === 'sepa_debit' ? 'billing.card.currentMethod' : 'billing.card.current', { card: current }) : null}</span>
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
