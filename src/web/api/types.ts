/** Shapes of the HTTP contract (shared/API.md beside the project). */
export type AccountType = 'developer' | 'client';
export type Role = 'owner' | 'admin' | 'collaborator' | 'accountant';
export type Currency = 'EUR' | 'USD';
export type Region = 'eu1' | 'us1';

export interface Me {
  id: string;
  email: string;
  emailVerified: boolean;
  firstName: string;
  lastName: string;
  accountType: AccountType;
  newsletter: boolean;
}

export interface SshKey {
  id: string;
  title: string;
  fingerprint: string;
  keyType?: string;
  bits?: number;
  createdAt: string;
}

export interface Money { amount: number; currency: Currency }

export interface List<T> { items: T[]; nextCursor?: string | null }

export type Plan = Record<string, string>;

export interface PlanCatalogue {
  components: { id: string; name: string; sizes: { id: string; name: string; monthlyPrice: Record<Currency, number> }[] }[];
  trial: Plan;
}

export interface CompanySummary { id: string; name: string; role: Role }
export interface Company extends CompanySummary { blockTransfersOut: boolean; createdAt: string }

export interface Member {
  accountId: string;
  email: string;
  firstName: string;
  lastName: string;
  role: Role;
  appNames?: string[];
}

export interface Address { line1: string; line2?: string; postalCode: string; city: string; country: string }

export interface BillingContactInput {
  name: string;
  address: Address;
  vatNumber?: string;
  invoiceEmail: string;
  currency: Currency;
}

export interface PaymentMethodView { type: string; brand?: string; last4: string; expMonth?: number; expYear?: number }

/** Owners and accountants get the full view; admins only id and name. */
export interface BillingContact {
  id: string;
  name: string;
  address?: Address;
  vatNumber?: string | null;
  invoiceEmail?: string;
  currency?: Currency;
  paymentMethod?: PaymentMethodView;
}

export interface ActivityEvent {
  id: string;
  at: string;
  actor: { id: string | null; name: string };
  action: string;
  appName?: string;
  outcome?: 'ok' | 'refused';
  details?: Record<string, unknown>;
}

export type AppStatus = 'trial' | 'active' | 'suspended' | 'deleted';

/** How the viewer reaches an App: their own trial, or their role in the App's Company. */
export type AppAccessName = 'trial' | 'owner' | 'admin' | 'collaborator';

export interface AppSummary {
  name: string;
  status: AppStatus;
  company: { id: string; name: string } | null;
  access: AppAccessName;
  plan: Plan;
  trialEndsAt?: string | null;
}

export interface App extends AppSummary {
  region: Region;
  notes: string;
  monthlyPrice: Money;
  billingContact: { id: string; name: string } | null;
  createdAt: string;
}

export interface PaymentToken { token: string; brand: string; last4: string }
