/**
 * The Billing tab's API calls and cache keys (issue 12). Kept beside the tab so the shared
 * endpoints.ts / queries.ts stay untouched while the Company page moves to TanStack Query;
 * the keys sit under `['companies', id, …]`, so invalidating the Company refetches them too.
 */
import { queryOptions } from '@tanstack/react-query';
import { ApiError, call, http } from '../../api/client';
import type { BillingContactInput, ResponseOf } from '../../api/models';

export type UpcomingCharges = ResponseOf<'/api/v1/companies/{id}/upcoming-charges', 'get'>;
export type InvoiceList = ResponseOf<'/api/v1/companies/{id}/invoices', 'get'>;
export type InvoiceSummary = InvoiceList['items'][number];
export type InvoiceDetail = ResponseOf<'/api/v1/companies/{id}/invoices/{invoiceId}', 'get'>;

const path = (id: string) => ({ params: { path: { id } } });
const invoicePath = (id: string, invoiceId: string) => ({ params: { path: { id, invoiceId } } });

export const billing = {
  upcoming: (id: string) => call(http.GET('/api/v1/companies/{id}/upcoming-charges', path(id))),
  /** Every invoice and credit note (all pages). */
  async invoices(id: string): Promise<InvoiceSummary[]> {
    const items: InvoiceSummary[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 50; i++) {
      const page: InvoiceList = await call(http.GET('/api/v1/companies/{id}/invoices', { params: { path: { id }, query: { limit: 200, ...(cursor ? { cursor } : {}) } } }));
      items.push(...page.items);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    return items;
  },
  invoice: (id: string, invoiceId: string) => call(http.GET('/api/v1/companies/{id}/invoices/{invoiceId}', invoicePath(id, invoiceId))),
  pay: (id: string, invoiceId: string) => call(http.POST('/api/v1/companies/{id}/invoices/{invoiceId}/pay', invoicePath(id, invoiceId))),
  /** A new billing contact with its own card (POST /billing-contacts); field problems come back under `billingContact.`. */
  async addContact(id: string, contact: BillingContactInput, token: string) {
    try {
      return await call(http.POST('/api/v1/companies/{id}/billing-contacts', { ...path(id), body: { ...contact, paymentMethod: { token } } }));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      throw new ApiError({ status: error.status, code: error.code, title: error.title, detail: error.detail, reason: error.reason,
        errors: error.errors.map((e) => ({ path: e.path.startsWith('paymentMethod') ? e.path : `billingContact.${e.path}`, message: e.message })) });
    }
  },
  changeCard: (id: string, contactId: string, token: string) =>
    call(http.PATCH('/api/v1/companies/{id}/billing-contacts/{contactId}', { params: { path: { id, contactId } }, body: { paymentMethod: { token } } })),
  pdfUrl: (id: string, invoiceId: string) => `/api/v1/companies/${encodeURIComponent(id)}/invoices/${encodeURIComponent(invoiceId)}/pdf`,
  htmlUrl: (id: string, invoiceId: string) => `/api/v1/companies/${encodeURIComponent(id)}/invoices/${encodeURIComponent(invoiceId)}/html`,
};

export const billingKeys = {
  upcoming: (id: string) => ['companies', id, 'upcoming-charges'] as const,
  invoices: (id: string) => ['companies', id, 'invoices'] as const,
};

export const billingQueries = {
  upcoming: (id: string) => queryOptions({ queryKey: billingKeys.upcoming(id), queryFn: () => billing.upcoming(id) }),
  invoices: (id: string) => queryOptions({ queryKey: billingKeys.invoices(id), queryFn: () => billing.invoices(id) }),
};
