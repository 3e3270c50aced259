/**
 * One schema for PGlite and PostgreSQL 15. Use nothing newer than PostgreSQL 15
 * (see docs/decisions/0002-database.md).
 *
 * The identity tables (accounts, sessions, credentials, verifications) are used by
 * Better Auth: their TypeScript keys are Better Auth's field names, their columns ours.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

// ---------------------------------------------------------------- identity

export const accounts = pgTable('accounts', {
  id: text('id').primaryKey(),
  email: text('email').notNull(),
  name: text('name').notNull(),
  emailVerified: boolean('email_verified').notNull().default(false),
  image: text('image'),
  firstName: text('first_name').notNull().default(''),
  lastName: text('last_name').notNull().default(''),
  accountType: text('account_type').notNull().default('developer'),
  newsletter: boolean('newsletter').notNull().default(false),
  /** Better Auth's two-factor plugin (issue 16): on once the first code was verified. */
  twoFactorEnabled: boolean('two_factor_enabled').notNull().default(false),
  /** The language pages and mails use (issue 17, ADR 0070); null: the browser's, and English for mails. */
  language: text('language'),
  /** The IANA time zone mails show times in, sent by the browser with the language (ADR 0070). */
  timeZone: text('time_zone'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [
  uniqueIndex('accounts_email_key').on(t.email),
  check('accounts_language_check', sql`language IN ('en', 'de')`),
]);

export const sessions = pgTable('sessions', {
  id: text('id').primaryKey(),
  token: text('token').notNull(),
  userId: text('account_id').notNull().references(() => accounts.id, { onDelete: 'cascade' }),
  expiresAt: ts('expires_at').notNull(),
  ipAddress: text('ip_address'),
  userAgent: text('user_agent'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  /** Ours (issue 16): when the session last made a request (kept to 5 minutes), and its last re-authentication. */
  lastSeenAt: ts('last_seen_at').defaultNow(),
  reauthenticatedAt: ts('reauthenticated_at'),
}, (t) => [uniqueIndex('sessions_token_key').on(t.token), index('sessions_account_idx').on(t.userId)]);

export const credentials = pgTable('credentials', {
  id: text('id').primaryKey(),
  userId: text('account_id').notNull().references(() => accounts.id, { onDelete: 'cascade' }),
  accountId: text('provider_account_id').notNull(),
  providerId: text('provider_id').notNull(),
  password: text('password_hash'),
  accessToken: text('access_token'),
  refreshToken: text('refresh_token'),
  idToken: text('id_token'),
  accessTokenExpiresAt: ts('access_token_expires_at'),
  refreshTokenExpiresAt: ts('refresh_token_expires_at'),
  scope: text('scope'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [index('credentials_account_idx').on(t.userId)]);

export const verifications = pgTable('verifications', {
  id: text('id').primaryKey(),
  identifier: text('identifier').notNull(),
  value: text('value').notNull(),
  expiresAt: ts('expires_at').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [index('verifications_identifier_idx').on(t.identifier)]);

export const sshKeys = pgTable('ssh_keys', {
  id: text('id').primaryKey(),
  accountId: text('account_id').notNull().references(() => accounts.id, { onDelete: 'cascade' }),
  title: text('title').notNull(),
  publicKey: text('public_key').notNull(),
  keyType: text('key_type').notNull(),
  bits: integer('bits').notNull(),
  fingerprint: text('fingerprint').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
}, (t) => [uniqueIndex('ssh_keys_fingerprint_key').on(t.fingerprint), index('ssh_keys_account_idx').on(t.accountId)]);

// ---------------------------------------------------------------- mail outbox

export const outbox = pgTable('outbox', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  kind: text('kind').notNull(),
  toAddress: text('to_address').notNull(),
  subject: text('subject').notNull(),
  textBody: text('text_body').notNull(),
  htmlBody: text('html_body').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  availableAt: ts('available_at').notNull().defaultNow(),
  attempts: integer('attempts').notNull().default(0),
  sentAt: ts('sent_at'),
  failedAt: ts('failed_at'),
  lastError: text('last_error'),
  /** Files sent with the mail (the invoice PDF): `{ filename, contentType, base64 }`. */
  attachments: jsonb('attachments').$type<{ filename: string; contentType: string; base64: string }[]>(),
}, (t) => [index('outbox_pending_idx').on(t.availableAt).where(sql`sent_at IS NULL AND failed_at IS NULL`)]);

// ---------------------------------------------------------------- companies

export const companies = pgTable('companies', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  blockTransfersOut: boolean('block_transfers_out').notNull().default(false),
  /** SPEC 4.10: members without two-factor authentication cannot open the Company. */
  requireTwoFactor: boolean('require_two_factor').notNull().default(false),
  /** SPEC 4.12: an admin's change that raises the monthly cost waits for an owner's approval. */
  requireCostApproval: boolean('require_cost_approval').notNull().default(false),
  createdAt: ts('created_at').notNull().defaultNow(),
  deletedAt: ts('deleted_at'),
});

export const memberships = pgTable('memberships', {
  companyId: text('company_id').notNull().references(() => companies.id),
  accountId: text('account_id').notNull().references(() => accounts.id),
  role: text('role').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  /**
   * The Company's name and whether it is deleted, kept on the membership by triggers
   * (migration 0018, ADR 0117) so "my Companies" and "my Apps" read one index
   * (memberships_account_list_idx, in the migration: drizzle cannot write INCLUDE) instead of
   * looking up 500 Companies. Never written by the code: set on insert, and on every rename
   * or deletion of the Company.
   */
  companyName: text('company_name').notNull().default(''),
  companyDeleted: boolean('company_deleted').notNull().default(false),
}, (t) => [
  primaryKey({ columns: [t.companyId, t.accountId] }),
  index('memberships_account_idx').on(t.accountId, t.companyId),
  index('memberships_company_role_idx').on(t.companyId, t.role),
  check('memberships_role_check', sql`role IN ('owner', 'admin', 'collaborator', 'accountant')`),
]);

/** Apps a collaborator may work on. */
export const collaboratorApps = pgTable('collaborator_apps', {
  companyId: text('company_id').notNull(),
  accountId: text('account_id').notNull(),
  appId: text('app_id').notNull(),
}, (t) => [
  primaryKey({ columns: [t.companyId, t.accountId, t.appId] }),
  index('collaborator_apps_app_idx').on(t.appId),
  // Ending a membership ends the collaborator's App list with it.
  foreignKey({ columns: [t.companyId, t.accountId], foreignColumns: [memberships.companyId, memberships.accountId] }).onDelete('cascade'),
]);

/**
 * A counter per Company that moves whenever what its members see in "my Apps" may have
 * changed: an App of the Company added, removed, renamed, moved or changed in status, plan or
 * trial end, or a collaborator's App list changed (triggers of migration 0019, never written
 * by the code; issue 14, ADR 0120). Each move also moves the counter of every member Account
 * (account_list_versions below, ADR 0122), which "my Apps" hashes into the page's fingerprint,
 * so a server process may answer with the page it rendered before when nothing moved. No
 * foreign key: the triggers must not take a lock on the Company row.
 */
export const companyListVersions = pgTable('company_list_versions', {
  companyId: text('company_id').primaryKey(),
  version: bigint('version', { mode: 'number' }).notNull().default(0),
});

/**
 * A counter per Account that moves whenever its "my Apps" may have changed: with the counter
 * of any Company the Account is a member of (company_list_versions above), and with every
 * change to the Account's memberships (added, removed, role, the Company's name or deletion).
 * Triggers of migration 0020, never written by the code (issue 14, ADR 0122). "My Apps"
 * hashes it, with the trial App, into the page's fingerprint: one index lookup instead of
 * one per membership. No foreign key, like the Company counter.
 */
export const accountListVersions = pgTable('account_list_versions', {
  accountId: text('account_id').primaryKey(),
  version: bigint('version', { mode: 'number' }).notNull().default(0),
});

export const billingContacts = pgTable('billing_contacts', {
  id: text('id').primaryKey(),
  companyId: text('company_id').notNull().references(() => companies.id),
  name: text('name').notNull(),
  line1: text('line1').notNull(),
  line2: text('line2'),
  postalCode: text('postal_code').notNull(),
  city: text('city').notNull(),
  country: text('country').notNull(),
  vatNumber: text('vat_number'),
  invoiceEmail: text('invoice_email').notNull(),
  currency: text('currency').notNull(),
  pmType: text('pm_type').notNull(),
  pmBrand: text('pm_brand'),
  pmLast4: text('pm_last4').notNull(),
  pmExpMonth: integer('pm_exp_month'),
  pmExpYear: integer('pm_exp_year'),
  pmReference: text('pm_reference').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
}, (t) => [
  index('billing_contacts_company_idx').on(t.companyId),
  // Target of apps (billing_contact_id, company_id): an App's contact belongs to the App's Company.
  uniqueIndex('billing_contacts_id_company_key').on(t.id, t.companyId),
  check('billing_contacts_currency_check', sql`currency IN ('EUR', 'USD')`),
]);

// ---------------------------------------------------------------- apps

export const apps = pgTable('apps', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  region: text('region').notNull(),
  status: text('status').notNull(),
  companyId: text('company_id').references(() => companies.id),
  billingContactId: text('billing_contact_id').references(() => billingContacts.id),
  /** The creator of a trial App, who holds it until it is handed over or booked. */
  trialAccountId: text('trial_account_id').references(() => accounts.id),
  createdBy: text('created_by').notNull(),
  plan: jsonb('plan').$type<Record<string, string>>().notNull(),
  env: jsonb('env').$type<Record<string, string>>().notNull().default({}),
  notes: text('notes').notNull().default(''),
  trialEndsAt: ts('trial_ends_at'),
  trialWarnedAt: ts('trial_warned_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
  deletedAt: ts('deleted_at'),
}, (t) => [
  foreignKey({ columns: [t.billingContactId, t.companyId], foreignColumns: [billingContacts.id, billingContacts.companyId] }),
  check('apps_status_check', sql`status IN ('trial', 'active', 'suspended', 'deleted')`),
  // One owner per App: a trial App belongs to its creator only; a live non-trial App to one Company and one of its contacts.
  check('apps_owner_check', sql`(status = 'trial' AND company_id IS NULL AND billing_contact_id IS NULL AND trial_account_id IS NOT NULL AND trial_ends_at IS NOT NULL)
    OR (status IN ('active', 'suspended') AND company_id IS NOT NULL AND billing_contact_id IS NOT NULL)
    OR status = 'deleted'`),
  uniqueIndex('apps_live_name_key').on(t.name).where(sql`status <> 'deleted'`),
  uniqueIndex('apps_one_trial_per_account_key').on(t.trialAccountId).where(sql`status = 'trial'`),
  // Serves "Apps of a Company" and, with memberships_account_idx, pages of "my Apps" by (Company, name).
  index('apps_company_name_idx').on(t.companyId, t.name).where(sql`status <> 'deleted'`),
  index('apps_trial_end_idx').on(t.trialEndsAt).where(sql`status = 'trial'`),
  index('apps_created_by_idx').on(t.createdBy),
  // The repository sweep finds recently deleted Apps (SPEC 4.9: the repository goes with the name).
  index('apps_deleted_at_idx').on(t.deletedAt).where(sql`status = 'deleted'`),
]);

/** App names are global and reserved for 7 days after deletion. */
export const appNames = pgTable('app_names', {
  name: text('name').primaryKey(),
  appId: text('app_id').notNull(),
  releasedAt: ts('released_at'),
});

/**
 * An App's custom domains (SPEC 4.13, docs/decisions/0075-domains.md). The host name is
 * unique over all rows: a domain belongs to at most one live App (rows go with the App's
 * deletion). `challenge` is the value of the TXT record that proves control of the name.
 */
export const appDomains = pgTable('app_domains', {
  id: text('id').primaryKey(),
  appId: text('app_id').notNull().references(() => apps.id),
  /** Lowercase ASCII (IDNA: punycode for non-ASCII labels), no trailing dot. */
  hostname: text('hostname').notNull(),
  state: text('state').notNull().default('pending'),
  challenge: text('challenge').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: ts('created_at').notNull(),
  verifiedAt: ts('verified_at'),
  /** The latest look-up of the TXT record and what it found (`found`, `missing`, `mismatch`, `lookup_failed`). */
  checkedAt: ts('checked_at'),
  checkResult: text('check_result'),
}, (t) => [
  uniqueIndex('app_domains_hostname_key').on(t.hostname),
  index('app_domains_app_idx').on(t.appId, t.hostname),
  check('app_domains_state_check', sql`state IN ('pending', 'verified')`),
]);

export const billingPeriods = pgTable('billing_periods', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  appId: text('app_id').notNull(),
  billingContactId: text('billing_contact_id').notNull().references(() => billingContacts.id),
  plan: jsonb('plan').$type<Record<string, string>>().notNull(),
  monthlyPriceCents: integer('monthly_price_cents').notNull(),
  currency: text('currency').notNull(),
  fromDay: date('from_day', { mode: 'string' }).notNull(),
  toDay: date('to_day', { mode: 'string' }),
}, (t) => [
  index('billing_periods_app_idx').on(t.appId),
  // The monthly run reads the periods of a page of billing contacts (ADR 0106).
  index('billing_periods_contact_idx').on(t.billingContactId),
  uniqueIndex('billing_periods_one_open_key').on(t.appId).where(sql`to_day IS NULL`),
]);

/**
 * SPEC 4.12: a scale or booking by an admin that would raise the monthly cost of a Company
 * requiring approval, stored until an owner approves (the change is made then), declines it,
 * or it expires (ADR 0080). Amounts are net cents in the billing contact's currency.
 */
export const costRequests = pgTable('cost_requests', {
  id: text('id').primaryKey(),
  companyId: text('company_id').notNull().references(() => companies.id),
  kind: text('kind').notNull(),
  /** The App to scale; for a booking, the App made on approval. */
  appId: text('app_id'),
  appName: text('app_name').notNull(),
  region: text('region'),
  billingContactId: text('billing_contact_id').notNull().references(() => billingContacts.id),
  planBefore: jsonb('plan_before').$type<Record<string, string>>(),
  planAfter: jsonb('plan_after').$type<Record<string, string>>().notNull(),
  currency: text('currency').notNull(),
  monthlyBeforeCents: integer('monthly_before_cents').notNull(),
  monthlyAfterCents: integer('monthly_after_cents').notNull(),
  requestedBy: text('requested_by').notNull().references(() => accounts.id),
  state: text('state').notNull().default('pending'),
  createdAt: ts('created_at').notNull(),
  expiresAt: ts('expires_at').notNull(),
  decidedAt: ts('decided_at'),
  decidedBy: text('decided_by').references(() => accounts.id),
}, (t) => [
  check('cost_requests_kind_check', sql`kind IN ('scale', 'book')`),
  check('cost_requests_state_check', sql`state IN ('pending', 'approved', 'declined', 'expired')`),
  check('cost_requests_currency_check', sql`currency IN ('EUR', 'USD')`),
  // One waiting request per App name: a second one would race the first on approval.
  uniqueIndex('cost_requests_one_pending_key').on(t.appName).where(sql`state = 'pending'`),
  index('cost_requests_company_idx').on(t.companyId, t.createdAt),
  index('cost_requests_expiry_idx').on(t.expiresAt).where(sql`state = 'pending'`),
]);

// ---------------------------------------------------------------- invitations

export const invitations = pgTable('invitations', {
  id: text('id').primaryKey(),
  kind: text('kind').notNull(),
  tokenHash: text('token_hash').notNull(),
  state: text('state').notNull(),
  email: text('email').notNull(),
  inviterId: text('inviter_id').notNull().references(() => accounts.id),
  companyId: text('company_id').references(() => companies.id),
  appId: text('app_id'),
  role: text('role'),
  appNames: jsonb('app_names').$type<string[]>(),
  clientName: text('client_name'),
  message: text('message'),
  plan: jsonb('plan').$type<Record<string, string>>(),
  /** The language the inviter chose for the client's mails (ADR 0092); null: the inviter's own. */
  language: text('language'),
  expiresAt: ts('expires_at').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  decidedAt: ts('decided_at'),
  acceptedBy: text('accepted_by'),
}, (t) => [
  uniqueIndex('invitations_token_hash_key').on(t.tokenHash),
  check('invitations_language_check', sql`language IN ('en', 'de')`),
  uniqueIndex('invitations_one_open_client_key').on(t.appId).where(sql`kind = 'client' AND state = 'pending'`),
  uniqueIndex('invitations_one_open_team_key').on(t.companyId, t.email).where(sql`kind = 'team' AND state = 'pending'`),
  index('invitations_company_idx').on(t.companyId),
  index('invitations_app_idx').on(t.appId),
]);

/**
 * Links replaced by "Resend" (issue 17): the old link then says "a newer invitation was sent,
 * check your inbox" instead of "not valid". Only the hash, as for the live token (SPEC 5).
 */
export const retiredInvitationTokens = pgTable('retired_invitation_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  invitationId: text('invitation_id').notNull().references(() => invitations.id),
  retiredAt: ts('retired_at').notNull(),
});

// ---------------------------------------------------------------- payments

/** The sandbox provider's own records (stands in for the provider's side). */
export const sandboxPaymentTokens = pgTable('sandbox_payment_tokens', {
  token: text('token').primaryKey(),
  brand: text('brand').notNull(),
  last4: text('last4').notNull(),
  expMonth: integer('exp_month').notNull(),
  expYear: integer('exp_year').notNull(),
  outcome: text('outcome').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  usedAt: ts('used_at'),
  usedFor: text('used_for'),
});

// ---------------------------------------------------------------- activity

export const activityEvents = pgTable('activity_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  at: ts('at').notNull(),
  actorId: text('actor_id'),
  actorName: text('actor_name').notNull().default(''),
  companyId: text('company_id'),
  appId: text('app_id'),
  appName: text('app_name'),
  action: text('action').notNull(),
  outcome: text('outcome').notNull().default('ok'),
  category: text('category').notNull().default('general'),
  details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
}, (t) => [
  index('activity_company_idx').on(t.companyId, t.id),
  index('activity_company_category_idx').on(t.companyId, t.category, t.id),
  index('activity_app_idx').on(t.appId, t.id),
]);

// ---------------------------------------------------------------- deployments (git pushes to the default branch)

export const deployments = pgTable('deployments', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  appId: text('app_id').notNull(),
  commit: text('commit').notNull(),
  branch: text('branch').notNull(),
  pushedBy: text('pushed_by').notNull().references(() => accounts.id),
  at: ts('at').notNull(),
}, (t) => [index('deployments_app_idx').on(t.appId, t.id)]);

// ---------------------------------------------------------------- rate limits (Better Auth, in the database)

export const rateLimits = pgTable('rate_limits', {
  id: text('id').primaryKey(),
  key: text('key').notNull(),
  count: integer('count').notNull(),
  lastRequest: bigint('last_request', { mode: 'number' }).notNull(),
}, (t) => [uniqueIndex('rate_limits_key_key').on(t.key)]);

// ---------------------------------------------------------------- account security (issue 16)

/**
 * Per-Account sign-in throttling, keyed by the normalised e-mail (so an unknown e-mail is
 * throttled exactly like a known one and the answer reveals nothing). See ADR 0040.
 */
export const signInGuards = pgTable('sign_in_guards', {
  email: text('email').primaryKey(),
  failures: integer('failures').notNull().default(0),
  windowStartedAt: ts('window_started_at').notNull(),
  lockedUntil: ts('locked_until'),
  lockouts: integer('lockouts').notNull().default(0),
});

/** The Account's own sign-in history: successes and failures, with address and browser. */
export const signInEvents = pgTable('sign_in_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  accountId: text('account_id').notNull().references(() => accounts.id, { onDelete: 'cascade' }),
  at: ts('at').notNull(),
  ipAddress: text('ip_address'),
  userAgent: text('user_agent'),
  outcome: text('outcome').notNull(),
}, (t) => [
  index('sign_in_events_account_idx').on(t.accountId, t.id),
  check('sign_in_events_outcome_check', sql`outcome IN ('succeeded', 'wrong_password', 'locked', 'wrong_code')`),
]);

// ---------------------------------------------------------------- invoices (SPEC 4.8, docs/decisions/0033-invoice-numbering.md)

/** One row per seller (keyed by its number prefix): locked by the transaction that numbers an invoice, so numbers are gapless. */
export const invoiceCounters = pgTable('invoice_counters', {
  seller: text('seller').primaryKey(),
  lastNumber: integer('last_number').notNull().default(0),
});

/**
 * Invoices and credit notes. Everything printed is snapshotted here when the number is taken
 * (seller, buyer, lines, taxes, notes); the HTML and the PDF render from these columns only,
 * so an issued invoice never changes. Only `state` and the delivery/payment bookkeeping move.
 */
export const invoices = pgTable('invoices', {
  id: text('id').primaryKey(),
  number: text('number').notNull(),
  kind: text('kind').notNull(),
  companyId: text('company_id').notNull().references(() => companies.id),
  billingContactId: text('billing_contact_id').notNull().references(() => billingContacts.id),
  /** The service month (YYYY-MM); a credit note carries its invoice's month. */
  month: text('month').notNull(),
  issuedAt: ts('issued_at').notNull(),
  currency: text('currency').notNull(),
  netCents: integer('net_cents').notNull(),
  taxCents: integer('tax_cents').notNull(),
  totalCents: integer('total_cents').notNull(),
  state: text('state').notNull(),
  seller: jsonb('seller').$type<Record<string, unknown>>().notNull(),
  buyer: jsonb('buyer').$type<Record<string, unknown>>().notNull(),
  lines: jsonb('lines').$type<Record<string, unknown>[]>().notNull(),
  taxes: jsonb('taxes').$type<Record<string, unknown>[]>().notNull(),
  notes: jsonb('notes').$type<string[]>().notNull(),
  /**
   * The language the invoice is printed in ('en' | 'de'), taken when it is numbered and never
   * changed (ADR 0094); its notes, line descriptions and country names are snapshotted in it.
   */
  language: text('language').notNull().default('en'),
  /** A credit note: the invoice it credits, and why. */
  creditsInvoiceId: text('credits_invoice_id'),
  reason: text('reason'),
  /** Delivery and payment bookkeeping (never printed). */
  mailedAt: ts('mailed_at'),
  nextChargeAt: ts('next_charge_at'),
  chargeAttempts: integer('charge_attempts').notNull().default(0),
  paidAt: ts('paid_at'),
  /** When the contact's Apps were suspended for this unpaid invoice (SPEC 4.8: 14 days). */
  suspendedAt: ts('suspended_at'),
  /**
   * Where the dunning clock (retries after 3 and 7 days, suspension after 14) starts when it is
   * not `issued_at`: a direct debit that stayed `payment_pending` and then failed moves it on by
   * the days it was pending, which never count as unpaid (SEPA Direct Debit, ADR 0096).
   */
  dunningFrom: ts('dunning_from'),
  stateChangedAt: ts('state_changed_at').notNull(),
}, (t) => [
  uniqueIndex('invoices_number_key').on(t.number),
  // SPEC 4.8: one invoice per billing contact and month, however often or by how many processes the run goes.
  uniqueIndex('invoices_contact_month_kind_key').on(t.billingContactId, t.month, t.kind),
  uniqueIndex('invoices_one_credit_key').on(t.creditsInvoiceId).where(sql`credits_invoice_id IS NOT NULL`),
  index('invoices_company_idx').on(t.companyId, t.issuedAt, t.id),
  index('invoices_unmailed_idx').on(t.issuedAt).where(sql`mailed_at IS NULL`),
  index('invoices_charge_due_idx').on(t.nextChargeAt).where(sql`next_charge_at IS NOT NULL`),
  check('invoices_kind_check', sql`kind IN ('invoice', 'credit_note')`),
  check('invoices_state_check', sql`state IN ('open', 'paid', 'payment_failed', 'action_required', 'payment_pending', 'void', 'issued')`),
  check('invoices_totals_check', sql`total_cents = net_cents + tax_cents`),
  check('invoices_language_check', sql`language IN ('en', 'de')`),
]);

// ---------------------------------------------------------------- scheduled runs (docs/decisions/0037-scheduler.md)

/**
 * A job that must happen once among all processes (the monthly invoice run of a month): the row
 * is claimed with FOR UPDATE SKIP LOCKED and a lease, and marked done when the run finished.
 */
export const scheduledRuns = pgTable('scheduled_runs', {
  job: text('job').notNull(),
  runKey: text('run_key').notNull(),
  state: text('state').notNull().default('pending'),
  claimedBy: text('claimed_by'),
  leaseUntil: ts('lease_until'),
  attempts: integer('attempts').notNull().default(0),
  createdAt: ts('created_at').notNull(),
  finishedAt: ts('finished_at'),
  result: jsonb('result').$type<Record<string, unknown>>(),
  lastError: text('last_error'),
}, (t) => [
  primaryKey({ columns: [t.job, t.runKey] }),
  check('scheduled_runs_state_check', sql`state IN ('pending', 'done')`),
]);

// ---------------------------------------------------------------- invoice payments (SPEC 4.8, docs/decisions/0039-invoice-payments.md)

/**
 * Every charge (and refund) attempt's result, once: the idempotency key is unique, so a result
 * recorded by two workers (or again after a crash) is recorded once.
 */
export const invoicePayments = pgTable('invoice_payments', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  invoiceId: text('invoice_id').notNull().references(() => invoices.id),
  kind: text('kind').notNull(),
  attempt: integer('attempt').notNull(),
  idempotencyKey: text('idempotency_key').notNull(),
  state: text('state').notNull(),
  amountCents: integer('amount_cents').notNull(),
  currency: text('currency').notNull(),
  providerReference: text('provider_reference'),
  message: text('message'),
  at: ts('at').notNull(),
}, (t) => [
  uniqueIndex('invoice_payments_key').on(t.idempotencyKey),
  index('invoice_payments_invoice_idx').on(t.invoiceId, t.id),
  check('invoice_payments_kind_check', sql`kind IN ('charge', 'refund')`),
  check('invoice_payments_state_check', sql`state IN ('paid', 'declined', 'action_required', 'pending', 'refunded')`),
]);

/** The sandbox provider's charges and refunds (its own side): one row per idempotency key. */
export const sandboxCharges = pgTable('sandbox_charges', {
  idempotencyKey: text('idempotency_key').primaryKey(),
  kind: text('kind').notNull(),
  paymentMethod: text('payment_method').notNull(),
  amountCents: integer('amount_cents').notNull(),
  currency: text('currency').notNull(),
  state: text('state').notNull(),
  reference: text('reference').notNull(),
  createdAt: ts('created_at').notNull(),
});

/**
 * Better Auth 1.7.25's two-factor plugin table (its "twoFactor" model; fields as in the
 * plugin's own schema of that version: secret and backup codes encrypted with AUTH_SECRET).
 */
export const twoFactors = pgTable('two_factors', {
  id: text('id').primaryKey(),
  secret: text('secret').notNull(),
  backupCodes: text('backup_codes').notNull(),
  userId: text('account_id').notNull().references(() => accounts.id, { onDelete: 'cascade' }),
  verified: boolean('verified').notNull().default(true),
  failedVerificationCount: integer('failed_verification_count').notNull().default(0),
  lockedUntil: ts('locked_until'),
}, (t) => [uniqueIndex('two_factors_account_key').on(t.userId)]);

// ---------------------------------------------------------------- Stripe webhooks (SPEC 4.11, docs/decisions/0060-stripe.md)

/** Every Stripe event processed, once: the unique event id makes a second delivery a no-op. */
export const stripeWebhookEvents = pgTable('stripe_webhook_events', {
  eventId: text('event_id').notNull(),
  type: text('type').notNull(),
  objectId: text('object_id'),
  receivedAt: ts('received_at').notNull(),
}, (t) => [
  uniqueIndex('stripe_webhook_events_event_key').on(t.eventId),
]);
