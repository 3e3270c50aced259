/**
 * Every API call of the web app, typed by the generated schema: paths, parameters, bodies
 * and answers come from the server's OpenAPI document, so a changed route fails to compile.
 */
import { i18n } from '../i18n';
import { ApiError, call, getUntyped, http } from './client';
import type { AccountType, BodyOf, List, Plan, Region, Role } from './models';

/** Issue 17: a scale or booking may answer 202 `{costRequest}`; callers that only handle the App get a readable error instead. */
function appOnly<T extends object>(answer: T): Exclude<T, { costRequest: unknown }> {
  if ('costRequest' in answer) throw new ApiError({ status: 202, code: 'cost_request_pending', detail: i18n.t('cost.web.sentForApproval') });
  return answer as Exclude<T, { costRequest: unknown }>;
}

const path = <T extends Record<string, string>>(p: T) => ({ params: { path: p } });

export const auth = {
  signUp: (body: { email: string; password: string; name: string; firstName: string; lastName: string; accountType: AccountType; language?: 'en' | 'de'; timeZone?: string }) =>
    call(http.POST('/api/auth/sign-up/email', { body })),
  signIn: (body: { email: string; password: string }) => call(http.POST('/api/auth/sign-in/email', { body })),
  signOut: () => call(http.POST('/api/auth/sign-out', { body: {} as never })),
  /** `next`: a same-site path the reset link returns to after the new password (issue 17). */
  requestPasswordReset: (email: string, next?: string | null) =>
    call(http.POST('/api/auth/request-password-reset', { body: { email, ...(next ? { redirectTo: `/reset-password?next=${encodeURIComponent(next)}` } : {}) } })),
  resetPassword: (token: string, newPassword: string) => call(http.POST('/api/auth/reset-password', { body: { token, newPassword } })),
  resendVerification: (email: string) => call(http.POST('/api/auth/send-verification-email', { body: { email } })),
  changePassword: (currentPassword: string, newPassword: string) =>
    call(http.POST('/api/auth/change-password', { body: { currentPassword, newPassword } })),
};

export const account = {
  me: () => call(http.GET('/api/v1/me')),
  update: (body: BodyOf<'/api/v1/me', 'patch'>) => call(http.PATCH('/api/v1/me', { body })),
  sshKeys: () => call(http.GET('/api/v1/me/ssh-keys')),
  addSshKey: (title: string, publicKey: string) => call(http.POST('/api/v1/me/ssh-keys', { body: { title, publicKey } })),
  deleteSshKey: (id: string) => call(http.DELETE('/api/v1/me/ssh-keys/{id}', path({ id }))),
};

export const dev = {
  /** Answers only when the server has no SMTP_URL (development); outside the /api/v1 contract. */
  mailbox: () => getUntyped('/api/dev/mailbox'),
};

export const plans = {
  catalogue: () => call(http.GET('/api/v1/plans')),
};

export const companies = {
  list: (cursor?: string | null) => call(http.GET('/api/v1/companies', { params: { query: cursor ? { cursor } : {} } })),
  create: (body: BodyOf<'/api/v1/companies', 'post'>) => call(http.POST('/api/v1/companies', { body })),
  get: (id: string) => call(http.GET('/api/v1/companies/{id}', path({ id }))),
  update: (id: string, body: BodyOf<'/api/v1/companies/{id}', 'patch'>) => call(http.PATCH('/api/v1/companies/{id}', { ...path({ id }), body })),
  remove: (id: string, confirm: string) => call(http.DELETE('/api/v1/companies/{id}', { params: { path: { id }, query: { confirm } } })),
  members: (id: string, cursor?: string | null) =>
    call(http.GET('/api/v1/companies/{id}/members', { params: { path: { id }, query: cursor ? { cursor } : {} } })),
  billingContacts: (id: string) => call(http.GET('/api/v1/companies/{id}/billing-contacts', path({ id }))),
  activity: (id: string, cursor?: string | null) =>
    call(http.GET('/api/v1/companies/{id}/activity', { params: { path: { id }, query: cursor ? { cursor } : {} } })),
};

export const apps = {
  list: (opts: { cursor?: string | null; companyId?: string } = {}) => call(http.GET('/api/v1/apps', {
    params: { query: { ...(opts.cursor ? { cursor: opts.cursor } : {}), ...(opts.companyId ? { companyId: opts.companyId } : {}) } },
  })),
  // A trial never waits for a cost approval (it costs nothing): the answer is the App.
  createTrial: async (name: string, region: Region) => appOnly(await call(http.POST('/api/v1/apps', { body: { name, region, trial: true } }))),
  /** The booked App (201), or `{costRequest}` (202) when an owner must approve first (issue 17). */
  book: (body: { name: string; region: Region; companyId: string; billingContactId: string; plan: Plan }) =>
    call(http.POST('/api/v1/apps', { body })),
  get: (name: string) => call(http.GET('/api/v1/apps/{name}', path({ name }))),
  update: (name: string, body: { notes?: string }) => call(http.PATCH('/api/v1/apps/{name}', { ...path({ name }), body })),
  remove: (name: string) => call(http.DELETE('/api/v1/apps/{name}', path({ name }))),
  /** The App with its new plan (200), or `{costRequest}` (202) when an owner must approve first (issue 17). */
  changePlan: (name: string, plan: Plan) => call(http.PUT('/api/v1/apps/{name}/plan', { ...path({ name }), body: { plan } })),
  /**
   * The App with its new plan; a change that waits for an owner's approval (202) throws an
   * ApiError `cost_request_pending` that says so. Prefer `changePlan` (ScaleForm does).
   */
  setPlan: async (name: string, plan: Plan) => appOnly(await call(http.PUT('/api/v1/apps/{name}/plan', { ...path({ name }), body: { plan } }))),
  env: (name: string) => call(http.GET('/api/v1/apps/{name}/env', path({ name }))),
  setEnv: (name: string, vars: Record<string, string>) => call(http.PUT('/api/v1/apps/{name}/env', { ...path({ name }), body: { vars } })),
  transfer: (name: string, body: BodyOf<'/api/v1/apps/{name}/transfer', 'post'>) =>
    call(http.POST('/api/v1/apps/{name}/transfer', { ...path({ name }), body })),
};

/** The team routes of API.md: members, invitations, leaving a Company. */
/** Code access and deployments (API.md): clone URL, host key fingerprint, pushes to the default branch. */
export const codeAccess = {
  git: (name: string) => call(http.GET('/api/v1/apps/{name}/git', path({ name }))),
  deployments: (name: string, cursor?: string | null) =>
    call(http.GET('/api/v1/apps/{name}/deployments', { params: { path: { name }, query: cursor ? { cursor } : {} } })),
};

export const team = {
  changeRole: (id: string, accountId: string, body: { role: Role; appNames?: string[] }) =>
    call(http.PATCH('/api/v1/companies/{id}/members/{accountId}', { ...path({ id, accountId }), body })),
  remove: (id: string, accountId: string) => call(http.DELETE('/api/v1/companies/{id}/members/{accountId}', path({ id, accountId }))),
  leave: (id: string, confirm: string) => call(http.POST('/api/v1/companies/{id}/leave', { ...path({ id }), body: { confirm } })),
  invitations: (id: string) => call(http.GET('/api/v1/companies/{id}/invitations', path({ id }))),
  invite: (id: string, body: BodyOf<'/api/v1/companies/{id}/invitations', 'post'>) =>
    call(http.POST('/api/v1/companies/{id}/invitations', { ...path({ id }), body })),
  resend: (id: string, invitationId: string) =>
    call(http.POST('/api/v1/companies/{id}/invitations/{invitationId}/resend', path({ id, invitationId }))),
  revoke: (id: string, invitationId: string) =>
    call(http.DELETE('/api/v1/companies/{id}/invitations/{invitationId}', path({ id, invitationId }))),
};

/** An App's client invitations (the developer's side of the handover). */
export const clientInvitations = {
  list: (name: string) => call(http.GET('/api/v1/apps/{name}/client-invitations', path({ name }))),
  create: (name: string, body: BodyOf<'/api/v1/apps/{name}/client-invitations', 'post'>) =>
    call(http.POST('/api/v1/apps/{name}/client-invitations', { ...path({ name }), body })),
  resend: (name: string, invitationId: string) =>
    call(http.POST('/api/v1/apps/{name}/client-invitations/{invitationId}/resend', path({ name, invitationId }))),
  revoke: (name: string, invitationId: string) =>
    call(http.DELETE('/api/v1/apps/{name}/client-invitations/{invitationId}', path({ name, invitationId }))),
};

/**
 * The invitee's side. Every call sends `{}`: the server reads the token from the HttpOnly
 * cookie that the mailed /invite/<token> link stored, so the page never sees it.
 */
export const invitee = {
  lookup: () => call(http.POST('/api/v1/invitations/lookup', { body: {} })),
  signUp: (body: { password: string; firstName: string; lastName: string; language?: 'en' | 'de'; timeZone?: string }) => call(http.POST('/api/v1/invitations/sign-up', { body })),
  accept: (body: BodyOf<'/api/v1/invitations/accept', 'post'> = {}) => call(http.POST('/api/v1/invitations/accept', { body })),
  decline: () => call(http.POST('/api/v1/invitations/decline', { body: {} })),
  requestNew: () => call(http.POST('/api/v1/invitations/request-new', { body: {} })),
  /** VAT, gross and the first invoice for the country and VAT number being typed (issue 17). */
  quote: (body: { country: string; vatNumber?: string; currency?: 'EUR' | 'USD' }) => call(http.POST('/api/v1/invitations/quote', { body })),
};

/** Who provides the service, and its terms and privacy pages: the footer of every page. */
export const site = {
  get: () => call(http.GET('/api/v1/site')),
};

export const payments = {
  /** Which card form to show: the sandbox's fields or Stripe's Payment Element (with its publishable key). */
  config: () => call(http.GET('/api/v1/payments/config')),
  /** Stripe only: a SetupIntent for one card form, confirmed in the browser by Stripe.js. */
  setupIntent: (body: BodyOf<'/api/v1/payments/setup-intent', 'post'>) => call(http.POST('/api/v1/payments/setup-intent', { body })),
  /** The completion page of an `action_required` invoice: what Stripe.js needs to confirm its payment. */
  confirmation: (companyId: string, invoiceId: string) => call(http.GET('/api/v1/companies/{id}/invoices/{invoiceId}/payment-confirmation', { params: { path: { id: companyId, invoiceId } } })),
};

export const paymentSandbox = {
  /** Stands in for the payment provider's own tokenisation endpoint: card data never reaches our own API. */
  tokenize: (card: BodyOf<'/api/v1/payment-sandbox/tokens', 'post'>) => call(http.POST('/api/v1/payment-sandbox/tokens', { body: card })),
};

/** Follows `nextCursor` to the end (lists are paginated; a team or a Company's Apps are small). */
export async function allPages<T>(load: (cursor: string | null) => Promise<List<T>>, maxPages = 50): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const next: List<T> = await load(cursor);
    items.push(...next.items);
    cursor = next.nextCursor ?? null;
    if (!cursor) break;
  }
  return items;
}

export const allMembers = (companyId: string) => allPages((cursor) => companies.members(companyId, cursor));

/** Names of the Company's Apps (not deleted), for the collaborator checklist. */
export async function companyAppNames(companyId: string): Promise<string[]> {
  const items = await allPages((cursor) => apps.list({ cursor, companyId }));
  return items.filter((a) => a.company?.id === companyId && a.status !== 'deleted').map((a) => a.name).sort();
}

export const allMyCompanies = () => allPages((cursor) => companies.list(cursor));
