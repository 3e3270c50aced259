/**
 * Issue 17: the cost-request calls and cache keys, beside the Company page (SPEC 4.12). The
 * keys sit under `['companies', id, …]`, so invalidating the Company refetches them too.
 */
import { queryOptions } from '@tanstack/react-query';
import { call, http } from '../../api/client';
import type { ResponseOf } from '../../api/models';

export type CostRequestList = ResponseOf<'/api/v1/companies/{id}/cost-requests', 'get'>;
export type CostRequest = CostRequestList['items'][number];

const requestPath = (id: string, requestId: string) => ({ params: { path: { id, requestId } } });

export const costRequests = {
  list: (id: string) => call(http.GET('/api/v1/companies/{id}/cost-requests', { params: { path: { id }, query: { limit: 200 } } })),
  approve: (id: string, requestId: string) => call(http.POST('/api/v1/companies/{id}/cost-requests/{requestId}/approve', requestPath(id, requestId))),
  decline: (id: string, requestId: string) => call(http.POST('/api/v1/companies/{id}/cost-requests/{requestId}/decline', requestPath(id, requestId))),
  /** The owner's switch "Ask me before the monthly cost goes up". */
  setRequireApproval: (id: string, requireCostApproval: boolean) =>
    call(http.PATCH('/api/v1/companies/{id}', { params: { path: { id } }, body: { requireCostApproval } })),
};

export const costKeys = {
  requests: (id: string) => ['companies', id, 'cost-requests'] as const,
};

export const costQueries = {
  requests: (id: string) => queryOptions({ queryKey: costKeys.requests(id), queryFn: () => costRequests.list(id) }),
};

/** A scale or booking answered 202: it waits for an owner (API.md). */
export function isCostRequestAnswer<T extends object>(answer: T): answer is Extract<T, { costRequest: unknown }> {
  return 'costRequest' in answer;
}
