/**
 * The domain routes of API.md ("Domains and cost approvals"), typed by the generated
 * schema. Kept beside the panel so the shared endpoints.ts stays small.
 */
import { queryOptions } from '@tanstack/react-query';
import { call, http } from '../../api/client';
import type { ResponseOf } from '../../api/models';
import { keys } from '../../api/queries';

export type Domain = ResponseOf<'/api/v1/apps/{name}/domains', 'post'>;
export type DnsRecord = Domain['dnsRecords'][number];

export const domainsApi = {
  list: (name: string) => call(http.GET('/api/v1/apps/{name}/domains', { params: { path: { name } } })),
  add: (name: string, hostname: string) => call(http.POST('/api/v1/apps/{name}/domains', { params: { path: { name } }, body: { hostname } })),
  verify: (name: string, hostname: string) => call(http.POST('/api/v1/apps/{name}/domains/{hostname}/verify', { params: { path: { name, hostname } } })),
  remove: (name: string, hostname: string) => call(http.DELETE('/api/v1/apps/{name}/domains/{hostname}', { params: { path: { name, hostname } } })),
};

/** Under the App's key, so whatever refreshes an App refreshes its domains too. */
export const domainsKey = (name: string) => [...keys.app(name), 'domains'] as const;

export const domainsQuery = (name: string) => queryOptions({ queryKey: domainsKey(name), queryFn: () => domainsApi.list(name) });
