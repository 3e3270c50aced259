import { api } from './client';
import type {
  AccountType, ActivityEvent, App, AppSummary, BillingContact, BillingContactInput, Company, CompanySummary,
  List, Me, Member, PaymentToken, Plan, PlanCatalogue, Region, SshKey,
} from './types';

const enc = encodeURIComponent;

export const auth = {
  signUp: (body: { email: string; password: string; name: string; firstName: string; lastName: string; accountType: AccountType }) =>
    api.post<unknown>('/api/auth/sign-up/email', body),
  signIn: (body: { email: string; password: string }) => api.post<unknown>('/api/auth/sign-in/email', body),
  signOut: () => api.post<unknown>('/api/auth/sign-out', {}),
  requestPasswordReset: (email: string) => api.post<unknown>('/api/auth/request-password-reset', { email }),
  resetPassword: (token: string, newPassword: string) => api.post<unknown>('/api/auth/reset-password', { token, newPassword }),
  resendVerification: (email: string) => api.post<unknown>('/api/auth/send-verification-email', { email }),
  changePassword: (currentPassword: string, newPassword: string) =>
    api.post<unknown>('/api/auth/change-password', { currentPassword, newPassword }),
};

export const account = {
  me: () => api.get<Me>('/api/v1/me'),
  update: (body: Partial<Pick<Me, 'firstName' | 'lastName' | 'accountType' | 'newsletter'>>) => api.patch<Me>('/api/v1/me', body),
  sshKeys: () => api.get<List<SshKey>>('/api/v1/me/ssh-keys'),
  addSshKey: (title: string, publicKey: string) => api.post<SshKey>('/api/v1/me/ssh-keys', { title, publicKey }),
  deleteSshKey: (id: string) => api.delete(`/api/v1/me/ssh-keys/${enc(id)}`),
};

export const dev = {
  /** Answers only when the server has no SMTP_URL (development). */
  mailbox: () => api.get<{ items: { id: string; kind: string; to: string; subject: string; text: string }[] }>('/api/dev/mailbox'),
};

export const plans = {
  catalogue: () => api.get<PlanCatalogue>('/api/v1/plans'),
};

export const companies = {
  list: (cursor?: string | null) => api.get<List<CompanySummary>>(`/api/v1/companies${cursor ? `?cursor=${enc(cursor)}` : ''}`),
  create: (body: { name: string; billingContact: BillingContactInput; paymentMethod: { token: string } }) =>
    api.post<CompanySummary>('/api/v1/companies', body),
  get: (id: string) => api.get<Company>(`/api/v1/companies/${enc(id)}`),
  update: (id: string, body: { name?: string; blockTransfersOut?: boolean }) => api.patch<Company>(`/api/v1/companies/${enc(id)}`, body),
  remove: (id: string, confirm: string) => api.delete(`/api/v1/companies/${enc(id)}?confirm=${enc(confirm)}`),
  members: (id: string) => api.get<List<Member>>(`/api/v1/companies/${enc(id)}/members`),
  billingContacts: (id: string) => api.get<List<BillingContact>>(`/api/v1/companies/${enc(id)}/billing-contacts`),
  activity: (id: string, cursor?: string | null) =>
    api.get<List<ActivityEvent>>(`/api/v1/companies/${enc(id)}/activity${cursor ? `?cursor=${enc(cursor)}` : ''}`),
};

export const apps = {
  list: (opts: { cursor?: string | null; companyId?: string } = {}) => {
    const query = new URLSearchParams();
    if (opts.cursor) query.set('cursor', opts.cursor);
    if (opts.companyId) query.set('companyId', opts.companyId);
    const qs = query.toString();
    return api.get<List<AppSummary>>(`/api/v1/apps${qs ? `?${qs}` : ''}`);
  },
  createTrial: (name: string, region: Region) => api.post<App>('/api/v1/apps', { name, region, trial: true }),
  book: (body: { name: string; region: Region; companyId: string; billingContactId: string; plan: Plan }) =>
    api.post<App>('/api/v1/apps', body),
  get: (name: string) => api.get<App>(`/api/v1/apps/${enc(name)}`),
  update: (name: string, body: { notes?: string }) => api.patch<App>(`/api/v1/apps/${enc(name)}`, body),
  remove: (name: string) => api.delete(`/api/v1/apps/${enc(name)}`),
  setPlan: (name: string, plan: Plan) => api.put<App>(`/api/v1/apps/${enc(name)}/plan`, { plan }),
  env: (name: string) => api.get<{ vars: Record<string, string> }>(`/api/v1/apps/${enc(name)}/env`),
  setEnv: (name: string, vars: Record<string, string>) => api.put<{ vars: Record<string, string> }>(`/api/v1/apps/${enc(name)}/env`, { vars }),
};

export const paymentSandbox = {
  /** Stands in for the payment provider's own tokenisation endpoint: card data never reaches our own API. */
  tokenize: (card: { number: string; expMonth: number; expYear: number; cvc: string }) =>
    api.post<PaymentToken>('/api/v1/payment-sandbox/tokens', card),
};
