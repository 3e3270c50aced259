/**
 * The query cache (TanStack Query): one QueryClient, one key per resource, and a
 * `queryOptions` factory per read so a page writes `useQuery(queries.app(name))`.
 *
 * Keys are hierarchical: invalidating `keys.app(name)` also refetches that App's env and
 * client invitations; `keys.company(id)` its members, invitations and activity.
 */
import { infiniteQueryOptions, QueryClient, queryOptions } from '@tanstack/react-query';
import { isApiError } from './client';
import type { List } from './models';
import { account, allMembers, allPages, allMyCompanies, apps, clientInvitations, codeAccess, companies, companyAppNames, invitee, plans, site, team } from './endpoints';

export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A 4xx answer will not change by asking again; network and 5xx get two more tries.
        retry: (failures, error) => !(isApiError(error) && error.status >= 400 && error.status < 500) && failures < 2,
        retryDelay: (attempt) => Math.min(500 * 2 ** attempt, 4000),
        // Shown at once from the cache, and asked again whenever a page mounts (stale-while-revalidate).
        staleTime: 0,
        // Pages refetch after their own changes (by key); a focus refetch would redraw forms mid-edit.
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}

export const keys = {
  me: ['me'] as const,
  sshKeys: ['me', 'ssh-keys'] as const,
  plans: ['plans'] as const,
  site: ['site'] as const,
  companies: ['companies'] as const,
  /** The viewer's Companies, page by page ("Show more"). */
  companyPages: ['companies', 'pages'] as const,
  company: (id: string) => ['companies', id] as const,
  members: (id: string) => ['companies', id, 'members'] as const,
  billingContacts: (id: string) => ['companies', id, 'billing-contacts'] as const,
  teamInvitations: (id: string) => ['companies', id, 'invitations'] as const,
  companyAppNames: (id: string) => ['companies', id, 'app-names'] as const,
  activity: (id: string) => ['companies', id, 'activity'] as const,
  apps: ['apps'] as const,
  appList: (companyId?: string) => ['apps', 'list', companyId ?? 'mine'] as const,
  /** The viewer's Apps (or one Company's), page by page ("Show more"). */
  appPages: (companyId?: string) => ['apps', 'pages', companyId ?? 'mine'] as const,
  app: (name: string) => ['app', name] as const,
  env: (name: string) => ['app', name, 'env'] as const,
  clientInvitations: (name: string) => ['app', name, 'client-invitations'] as const,
  git: (name: string) => ['app', name, 'git'] as const,
  deployments: (name: string) => ['app', name, 'deployments'] as const,
  invitation: ['invitation'] as const,
};

export const queries = {
  me: () => queryOptions({ queryKey: keys.me, queryFn: account.me }),
  sshKeys: () => queryOptions({ queryKey: keys.sshKeys, queryFn: account.sshKeys }),
  plans: () => queryOptions({ queryKey: keys.plans, queryFn: plans.catalogue, staleTime: Infinity }),
  /** The seller and its terms and privacy pages (configuration: read once). */
  site: () => queryOptions({ queryKey: keys.site, queryFn: site.get, staleTime: Infinity }),
  myCompanies: () => queryOptions({ queryKey: keys.companies, queryFn: allMyCompanies }),
  company: (id: string) => queryOptions({ queryKey: keys.company(id), queryFn: () => companies.get(id) }),
  members: (id: string) => queryOptions({ queryKey: keys.members(id), queryFn: () => allMembers(id) }),
  billingContacts: (id: string) => queryOptions({ queryKey: keys.billingContacts(id), queryFn: () => companies.billingContacts(id) }),
  teamInvitations: (id: string) => queryOptions({ queryKey: keys.teamInvitations(id), queryFn: () => team.invitations(id) }),
  companyAppNames: (id: string) => queryOptions({ queryKey: keys.companyAppNames(id), queryFn: () => companyAppNames(id) }),
  /** Every App the viewer sees (all pages). */
  myApps: () => queryOptions({ queryKey: keys.appList(), queryFn: () => allPages((cursor) => apps.list({ cursor })) }),
  app: (name: string) => queryOptions({ queryKey: keys.app(name), queryFn: () => apps.get(name) }),
  env: (name: string) => queryOptions({ queryKey: keys.env(name), queryFn: () => apps.env(name) }),
  clientInvitations: (name: string) => queryOptions({ queryKey: keys.clientInvitations(name), queryFn: () => clientInvitations.list(name) }),
  git: (name: string) => queryOptions({ queryKey: keys.git(name), queryFn: () => codeAccess.git(name) }),
  /** The invitee's view of the invitation in the cookie (a POST: the token never enters a URL). */
  invitation: () => queryOptions({ queryKey: keys.invitation, queryFn: invitee.lookup }),
  /** Paginated lists read page by page, for a "Show more" button (useInfiniteQuery). */
  companyPages: () => paged(keys.companyPages, (cursor) => companies.list(cursor)),
  appPages: (companyId?: string) => paged(keys.appPages(companyId), (cursor) => apps.list({ cursor, ...(companyId ? { companyId } : {}) })),
};

function paged<K extends readonly unknown[], T>(queryKey: K, load: (cursor: string | null) => Promise<List<T>>) {
  return infiniteQueryOptions({
    queryKey,
    queryFn: ({ pageParam }) => load(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page: List<T>) => page.nextCursor ?? null,
  });
}
