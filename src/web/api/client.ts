/**
 * The API client every page uses: openapi-fetch typed by the generated `schema.d.ts`
 * (`npm run api:types`), same-origin cookies, JSON in and out, and a typed ApiError built
 * from the server's application/problem+json answers (API.md).
 *
 *   const app = await call(http.GET('/api/v1/apps/{name}', { params: { path: { name } } }));
 */
import createClient from 'openapi-fetch';
import { i18n } from '../i18n';
import { wordProblem, type FieldProblem, type Problem } from './problemText';
import { reauthRetry } from './reauth';
import type { paths } from './schema';

export type { FieldProblem, Problem } from './problemText';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly title: string;
  readonly errors: FieldProblem[];
  readonly reason: string | undefined;
  readonly serverDetail: string | undefined;

  constructor(problem: Problem) {
    super(problem.detail || problem.title || `Request failed (${problem.status})`);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code;
    this.detail = problem.detail || problem.title || i18n.t('common.somethingWrong');
    this.title = problem.title ?? '';
    this.errors = problem.errors ?? [];
    this.reason = problem.reason;
    this.serverDetail = problem.serverDetail;
  }

  /** The message for one form field (e.g. "billingContact.address.city"). */
  fieldError(path: string): string | undefined {
    return this.errors.find((e) => e.path === path)?.message;
  }
}

let onSessionEnded: (() => void) | null = null;

/**
 * Called when an API answer says the session is gone (401 outside the identity endpoints),
 * e.g. after signing out in another tab: the app then shows the sign-in page.
 */
export function setSessionEndedHandler(handler: (() => void) | null) {
  onSessionEnded = handler;
}

function toProblem(status: number, body: unknown, headers?: Headers): Problem {
  const problem = body as Partial<Problem> | null;
  if (problem && typeof problem === 'object' && typeof problem.code === 'string') {
    // Worded in the page's language by code and reason; the server's detail only for unknown codes (ADR 0090).
    const serverDetail = problem.detail ?? '';
    return wordProblem({
      status, code: problem.code, detail: serverDetail, title: problem.title, type: problem.type, errors: problem.errors,
      ...(typeof problem.reason === 'string' ? { reason: problem.reason } : {}), serverDetail,
    }, headers?.get('retry-after'));
  }
  const code = status === 404 ? 'not_found' : status === 401 ? 'unauthenticated' : 'internal';
  const detail = status >= 500
    ? i18n.t('apiErrors.server')
    : status === 404 ? i18n.t('apiErrors.notFound') : i18n.t('apiErrors.failed', { status });
  return { status, code, detail };
}

const NETWORK = () => new ApiError({ status: 0, code: 'network', detail: i18n.t('apiErrors.network') });

/** The typed client. Prefer the functions in endpoints.ts; use `call(http.X(...))` for a new route. */
export const http = createClient<paths>({
  // Same origin; outside a browser (tests) a placeholder origin that the stubbed fetch sees.
  baseUrl: typeof location === 'undefined' ? 'http://localhost' : location.origin,
  credentials: 'same-origin',
  headers: { accept: 'application/json, application/problem+json' },
  // Looked up on every call, so tests can stub the global fetch.
  fetch: (request) => globalThis.fetch(request),
});

// A change that needs a fresh password asks for it and is sent again (reauth.ts, issue 16).
http.use(reauthRetry);

http.use({
  onResponse({ request, response }) {
    const path = new URL(request.url, 'http://x').pathname;
    if (response.status === 401 && !path.startsWith('/api/auth/') && path !== '/api/v1/me') onSessionEnded?.();
    return undefined;
  },
});

/**
 * Awaits an openapi-fetch call and returns its data, or throws ApiError (problem+json,
 * network failure).
 */
export async function call<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await pending;
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw NETWORK();
  }
  const { response } = result;
  if (!response.ok) {
    throw new ApiError(toProblem(response.status, result.error, response.headers));
  }
  return result.data as T;
}

/** For the few paths outside the OpenAPI document (the development mailbox). */
export async function getUntyped(path: string): Promise<unknown> {
  let response: Response;
  try {
    response = await globalThis.fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  } catch {
    throw NETWORK();
  }
  const text = await response.text();
  let body: unknown;
  try { body = text ? JSON.parse(text) : undefined; } catch { body = undefined; }
  if (!response.ok) throw new ApiError(toProblem(response.status, body, response.headers));
  return body;
}

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}
