/**
 * Account security calls (issue 16): two-factor, sessions, sign-in history, re-authentication.
 * Typed by the generated schema like endpoints.ts; kept apart so the pages of other work stay untouched.
 */
import { queryOptions } from '@tanstack/react-query';
import { call, http } from './client';
import type { ResponseOf } from './models';

type Item<L> = L extends { items: (infer I)[] } ? I : never;

export type SessionItem = Item<ResponseOf<'/api/v1/me/sessions', 'get'>>;
export type SignInItem = Item<ResponseOf<'/api/v1/me/sign-in-history', 'get'>>;

export const twoFactor = {
  enable: (password: string) => call(http.POST('/api/auth/two-factor/enable', { body: { password } })),
  verifyTotp: (code: string) => call(http.POST('/api/auth/two-factor/verify-totp', { body: { code } })),
  verifyBackupCode: (code: string) => call(http.POST('/api/auth/two-factor/verify-backup-code', { body: { code } })),
  disable: (password: string) => call(http.POST('/api/auth/two-factor/disable', { body: { password } })),
};

export const security = {
  sessions: () => call(http.GET('/api/v1/me/sessions')),
  endSession: (id: string) => call(http.DELETE('/api/v1/me/sessions/{id}', { params: { path: { id } } })),
  endOtherSessions: () => call(http.POST('/api/v1/me/sessions/revoke-others')),
  history: (cursor?: string | null) => call(http.GET('/api/v1/me/sign-in-history', { params: { query: cursor ? { cursor } : {} } })),
  reauthenticate: (body: { password: string } | { code: string }) => call(http.POST('/api/v1/me/reauthenticate', { body })),
};

export const securityKeys = {
  sessions: ['me', 'sessions'] as const,
  history: ['me', 'sign-in-history'] as const,
};

export const securityQueries = {
  sessions: () => queryOptions({ queryKey: securityKeys.sessions, queryFn: security.sessions }),
  history: () => queryOptions({ queryKey: securityKeys.history, queryFn: () => security.history() }),
};
