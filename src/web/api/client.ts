/**
 * The typed fetch wrapper every page uses. Same-origin cookies, JSON in and out, and a
 * typed ApiError built from the server's application/problem+json answers (API.md).
 */
export interface FieldProblem { path: string; message: string }

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  code: string;
  detail: string;
  errors?: FieldProblem[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly title: string;
  readonly errors: FieldProblem[];

  constructor(problem: Problem) {
    super(problem.detail || problem.title || `Request failed (${problem.status})`);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code;
    this.detail = problem.detail || problem.title || 'Something went wrong. Please try again.';
    this.title = problem.title ?? '';
    this.errors = problem.errors ?? [];
  }

  /** The message for one form field, matched on the last path segment too (e.g. "billingContact.address.city"). */
  fieldError(path: string): string | undefined {
    return this.errors.find((e) => e.path === path)?.message;
  }
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

let onSessionEnded: (() => void) | null = null;

/**
 * Called when an API answer says the session is gone (401 outside the identity endpoints),
 * e.g. after signing out in another tab: the app then shows the sign-in page.
 */
export function setSessionEndedHandler(handler: (() => void) | null) {
  onSessionEnded = handler;
}

async function toProblem(response: Response): Promise<Problem> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as Partial<Problem>;
    if (body && typeof body === 'object' && typeof body.code === 'string') {
      return { status: response.status, code: body.code, detail: body.detail ?? '', title: body.title, type: body.type, errors: body.errors };
    }
  } catch {
    /* not JSON: fall through */
  }
  const code = response.status === 404 ? 'not_found' : response.status === 401 ? 'unauthenticated' : 'internal';
  const detail = response.status >= 500
    ? 'Something went wrong on our side. Please try again in a moment.'
    : response.status === 404 ? 'This could not be found.' : `The request failed (${response.status}).`;
  return { status: response.status, code, detail };
}

export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  const init: RequestInit = { method, credentials: 'same-origin', headers };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError({ status: 0, code: 'network', detail: 'We could not reach the server. Check your connection and try again.' });
  }
  if (!response.ok) {
    const problem = await toProblem(response);
    if (response.status === 401 && !path.startsWith('/api/auth/') && path !== '/api/v1/me') onSessionEnded?.();
    throw new ApiError(problem);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  delete: (path: string) => request<void>('DELETE', path),
};

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}
