/**
 * The handover and invitation routes of API.md ("Apps" client invitations, and "Invitations,
 * from the invitee's side"). The invitee calls send `{}`: the server reads the token from the
 * HttpOnly cookie that the mailed /invite/<token> link stored, so the page never sees it.
 */
import { api } from '../../api/client';
import type { BillingContactInput, Currency, Money, Plan } from '../../api/types';

const enc = encodeURIComponent;

export type InvitationState = 'pending' | 'expired' | 'accepted' | 'revoked' | 'declined';

export interface ClientInvitation {
  id: string;
  email: string;
  name?: string;
  state: InvitationState;
  expiresAt: string;
  createdAt: string;
  plan: Plan;
  monthlyPrice: Money;
  invitedBy: { firstName: string; lastName: string };
}

export interface InvitationLookup {
  kind: 'client' | 'team';
  state: InvitationState;
  email: string;
  inviter: { firstName: string; lastName: string };
  app?: { name: string };
  company?: { name: string };
  role?: string;
  appNames?: string[];
  plan?: Plan;
  monthlyPrice?: Money;
  monthlyPrices?: Record<Currency, Money>;
  clientName?: string;
  message?: string;
  expiresAt: string;
}

export interface AcceptResult { company: { id: string; name: string }; app?: { name: string } }

export type ClientAcceptBody =
  | { company: { name: string }; billingContact: BillingContactInput; paymentMethod: { token: string } }
  | { company: { id: string }; consent: true; billingContactId?: string };

export const clientInvitations = {
  list: (app: string) => api.get<{ items: ClientInvitation[] }>(`/api/v1/apps/${enc(app)}/client-invitations`),
  create: (app: string, body: { email: string; name?: string; message?: string; plan: Plan }) =>
    api.post<ClientInvitation>(`/api/v1/apps/${enc(app)}/client-invitations`, body),
  resend: (app: string, id: string) => api.post<ClientInvitation>(`/api/v1/apps/${enc(app)}/client-invitations/${enc(id)}/resend`, {}),
  revoke: (app: string, id: string) => api.delete(`/api/v1/apps/${enc(app)}/client-invitations/${enc(id)}`),
};

export const invitee = {
  lookup: () => api.post<InvitationLookup>('/api/v1/invitations/lookup', {}),
  signUp: (body: { password: string; firstName: string; lastName: string }) => api.post<unknown>('/api/v1/invitations/sign-up', body),
  accept: (body: ClientAcceptBody | Record<string, never>) => api.post<AcceptResult>('/api/v1/invitations/accept', body),
  decline: () => api.post<void>('/api/v1/invitations/decline', {}),
  requestNew: () => api.post<unknown>('/api/v1/invitations/request-new', {}),
};

export function personName(p: { firstName: string; lastName: string } | null | undefined): string {
  const name = `${p?.firstName ?? ''} ${p?.lastName ?? ''}`.trim();
  return name || 'Your developer';
}

/** "expires in 2 days", "expires in 5 hours", "expired". */
export function expiresIn(iso: string, now = Date.now()): string {
  const ms = new Date(iso).getTime() - now;
  if (Number.isNaN(ms)) return '';
  if (ms <= 0) return 'expired';
  const hours = Math.floor(ms / 3_600_000);
  if (hours >= 48) return `expires in ${Math.floor(hours / 24)} days`;
  if (hours >= 1) return `expires in ${hours} hour${hours === 1 ? '' : 's'}`;
  const minutes = Math.max(1, Math.floor(ms / 60_000));
  return `expires in ${minutes} minute${minutes === 1 ? '' : 's'}`;
}
