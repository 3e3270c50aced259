import { z } from 'zod';
import type { AppAccess } from '../../authz/permissions.js';
import type { Currency, Plan } from '../plans/catalogue.js';
import { monthlyPrice, type Money } from '../plans/pricing.js';
import type { AppRow } from './repo.js';
import { webAddressOf } from '../../../shared/hostname.js';

/** `access` says how the caller reaches the App: their trial, or their role in its Company. */
export type AccessName = 'trial' | 'owner' | 'admin' | 'collaborator';

export function accessName(access: AppAccess): AccessName {
  if (access.kind === 'trial-creator') return 'trial';
  return access.role === 'accountant' ? 'collaborator' : access.role;
}

export const REGIONS = ['eu1', 'us1'] as const;

/** Lowercase, URL-safe (letters, digits, inner hyphens), 3–30 characters. */
export const APP_NAME = /^[a-z0-9](?:[a-z0-9-]{1,28})[a-z0-9]$/;
/** Names that would confuse people or our own host names. */
export const RESERVED_APP_NAMES = new Set(['www', 'api', 'app', 'apps', 'admin', 'dashboard', 'mail', 'ftp', 'ssh', 'git', 'status', 'support', 'help', 'billing']);

export const appNameInput = z.string().max(100).superRefine((value, ctx) => {
  if (!APP_NAME.test(value) || value.includes('--')) {
    ctx.addIssue({ code: 'custom', message: 'Use 3 to 30 lowercase letters, digits and single hyphens; start and end with a letter or digit.' });
  } else if (RESERVED_APP_NAMES.has(value)) {
    ctx.addIssue({ code: 'custom', message: 'This name is reserved. Please choose another.' });
  }
});

export type AppStatus = 'trial' | 'active' | 'suspended' | 'deleted';

export interface AppSummary {
  name: string; status: AppStatus; company: { id: string; name: string } | null; access: AccessName; plan: Plan; trialEndsAt?: string;
  /** SPEC 4.13: `https://<name>.<APPS_DOMAIN>`. */
  webAddress: string;
}

export interface AppDetail extends AppSummary {
  region: string; notes: string; monthlyPrice: Money; billingContact: { id: string; name: string } | null; createdAt: string;
  /** Why a suspended App is suspended (owners and admins only). */
  suspension?: { reason: 'unpaid_invoice'; invoiceNumber: string; since: string };
  /** GET /apps/{name}: the monthly price with VAT for the billing contact (issue 17). */
  monthlyCost?: { net: Money; vat: Money; gross: Money; vatRate: number };
}

export function appSummary(app: AppRow, company: { id: string; name: string } | null, access: AccessName, appsDomain: string): AppSummary {
  return {
    name: app.name, status: app.status as AppStatus, company, access, plan: app.plan,
    ...(app.trialEndsAt ? { trialEndsAt: app.trialEndsAt.toISOString() } : {}),
    webAddress: webAddressOf(app.name, appsDomain),
  };
}

/** A trial costs nothing; otherwise the plan's price in the billing contact's currency. */
export function appDetail(app: AppRow, company: { id: string; name: string } | null, access: AccessName, contact: { id: string; name: string; currency: string } | null, appsDomain: string): AppDetail {
  const price = contact ? monthlyPrice(app.plan, contact.currency as Currency) : { amount: 0, currency: 'EUR' as const };
  return {
    ...appSummary(app, company, access, appsDomain), region: app.region, notes: app.notes, monthlyPrice: price,
    billingContact: contact ? { id: contact.id, name: contact.name } : null, createdAt: app.createdAt.toISOString(),
  };
}

const money = z.object({ amount: z.number().int(), currency: z.enum(['EUR', 'USD']) });
export const appSummarySchema = z.object({
  name: z.string(), status: z.enum(['trial', 'active', 'suspended', 'deleted']),
  company: z.object({ id: z.string(), name: z.string() }).nullable(),
  access: z.enum(['trial', 'owner', 'admin', 'collaborator']),
  plan: z.record(z.string(), z.string()),
  trialEndsAt: z.string().optional(),
  webAddress: z.string().describe('The default address, https://<name>.<APPS_DOMAIN> (SPEC 4.13)'),
});
export const appDetailSchema = appSummarySchema.extend({
  region: z.string(), notes: z.string(), monthlyPrice: money,
  billingContact: z.object({ id: z.string(), name: z.string() }).nullable(), createdAt: z.string(),
  suspension: z.object({ reason: z.enum(['unpaid_invoice']), invoiceNumber: z.string(), since: z.string() }).optional(),
  monthlyCost: z.object({ net: money, vat: money, gross: money, vatRate: z.number() }).optional(),
});
