/**
 * Names for the shapes the pages use, all DERIVED from the generated `schema.d.ts` (the
 * server's OpenAPI document): nothing here restates a server shape by hand. When a route's
 * zod schema changes, `npm run api:types` changes these types with it.
 */
import type { paths } from './schema';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;

/** The JSON body of the success answer (200 or 201) of `METHOD path`. */
export type ResponseOf<P extends keyof paths, M extends Method & keyof paths[P]> =
  paths[P][M] extends { responses: infer R }
    ? R extends { 200: infer A } ? JsonOf<A> : R extends { 201: infer B } ? JsonOf<B> : never
    : never;

/** The JSON request body of `METHOD path`. */
export type BodyOf<P extends keyof paths, M extends Method & keyof paths[P]> =
  paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

type Item<L> = L extends { items: (infer T)[] } ? T : never;

export type Me = ResponseOf<'/api/v1/me', 'get'>;
export type AccountType = Me['accountType'];
export type SshKey = ResponseOf<'/api/v1/me/ssh-keys', 'post'>;

export type PlanCatalogue = ResponseOf<'/api/v1/plans', 'get'>;
export type Plan = PlanCatalogue['trial'];

export type App = ResponseOf<'/api/v1/apps/{name}', 'get'>;
export type GitInfo = ResponseOf<'/api/v1/apps/{name}/git', 'get'>;
export type Deployment = Item<ResponseOf<'/api/v1/apps/{name}/deployments', 'get'>>;
export type AppSummary = Item<ResponseOf<'/api/v1/apps', 'get'>>;
export type AppStatus = App['status'];
/** How the viewer reaches an App: their own trial, or their role in the App's Company. */
export type AppAccessName = App['access'];
export type Money = App['monthlyPrice'];
export type Currency = Money['currency'];
export type Region = BodyOf<'/api/v1/apps', 'post'>['region'];

export type CompanySummary = Item<ResponseOf<'/api/v1/companies', 'get'>>;
export type Company = ResponseOf<'/api/v1/companies/{id}', 'get'>;
export type Role = Company['role'];
export type Member = Item<ResponseOf<'/api/v1/companies/{id}/members', 'get'>>;
type ContactView = Item<ResponseOf<'/api/v1/companies/{id}/billing-contacts', 'get'>>;
/** The owner's and accountant's view of a billing contact. */
export type FullBillingContact = Extract<ContactView, { address: unknown }>;
/** Owners and accountants get the full view; admins only id and name (so the rest is optional). */
export type BillingContact = Pick<FullBillingContact, 'id' | 'name'> & Partial<FullBillingContact>;
export type BillingContactInput = BodyOf<'/api/v1/companies', 'post'>['billingContact'];
export type Address = BillingContactInput['address'];
export type ActivityEvent = Item<ResponseOf<'/api/v1/companies/{id}/activity', 'get'>>;
export type TeamInvitation = Item<ResponseOf<'/api/v1/companies/{id}/invitations', 'get'>>;

export type ClientInvitation = Item<ResponseOf<'/api/v1/apps/{name}/client-invitations', 'get'>>;
export type InvitationLookup = ResponseOf<'/api/v1/invitations/lookup', 'post'>;
export type InvitationState = InvitationLookup['state'];
export type AcceptBody = BodyOf<'/api/v1/invitations/accept', 'post'>;
export type AcceptResult = ResponseOf<'/api/v1/invitations/accept', 'post'>;
export type AcceptSummary = NonNullable<AcceptResult['summary']>;
export type Quote = ResponseOf<'/api/v1/invitations/quote', 'post'>;
export type SiteInfo = ResponseOf<'/api/v1/site', 'get'>;

export type PaymentToken = ResponseOf<'/api/v1/payment-sandbox/tokens', 'post'>;

/** A page of a cursor-paginated list. */
export interface List<T> { items: T[]; nextCursor?: string | null }
