/**
 * The team routes of API.md (members, invitations, leave) and the App transfer. Kept beside
 * the pages that use them, so the shared API client stays untouched.
 */
import { api } from '../../api/client';
import { apps as appsApi, companies } from '../../api/endpoints';
import type { App, List, Member, Role } from '../../api/types';

const enc = encodeURIComponent;

export type TeamInvitationState = 'pending' | 'expired' | 'revoked' | 'declined' | 'accepted';

export interface TeamInvitation {
  id: string;
  email: string;
  role: Role;
  appNames?: string[];
  state: TeamInvitationState;
  expiresAt: string;
  createdAt: string;
  invitedBy: { firstName: string; lastName: string };
}

const base = (companyId: string) => `/api/v1/companies/${enc(companyId)}`;

export const team = {
  changeRole: (companyId: string, accountId: string, body: { role: Role; appNames?: string[] }) =>
    api.patch<Member>(`${base(companyId)}/members/${enc(accountId)}`, body),
  remove: (companyId: string, accountId: string) => api.delete(`${base(companyId)}/members/${enc(accountId)}`),
  leave: (companyId: string, confirm: string) => api.post<void>(`${base(companyId)}/leave`, { confirm }),
  invitations: (companyId: string) => api.get<{ items: TeamInvitation[] }>(`${base(companyId)}/invitations`),
  invite: (companyId: string, body: { email: string; role: Role; appNames?: string[] }) =>
    api.post<TeamInvitation>(`${base(companyId)}/invitations`, body),
  resend: (companyId: string, id: string) => api.post<TeamInvitation>(`${base(companyId)}/invitations/${enc(id)}/resend`, {}),
  revoke: (companyId: string, id: string) => api.delete(`${base(companyId)}/invitations/${enc(id)}`),
  transfer: (appName: string, body: { toCompanyId: string; billingContactId: string }) =>
    api.post<App>(`/api/v1/apps/${enc(appName)}/transfer`, body),
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

export const allMembers = (companyId: string) =>
  allPages<Member>((cursor) => api.get<List<Member>>(`${base(companyId)}/members${cursor ? `?cursor=${enc(cursor)}` : ''}`));

/** Names of the Company's Apps (not deleted), for the collaborator checklist. */
export async function companyAppNames(companyId: string): Promise<string[]> {
  const items = await allPages((cursor) => appsApi.list({ cursor, companyId }));
  return items.filter((a) => a.company?.id === companyId && a.status !== 'deleted').map((a) => a.name).sort();
}

export const allMyCompanies = () => allPages((cursor) => companies.list(cursor));
