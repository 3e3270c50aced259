import {
  acceptToken, companyId, invitationId, inviteAppName, layout, MAIN_DEV, MAIN_DEV_COMPANIES,
  MEMBERS_COMPANY, PAID_PLAN, sandboxToken, sessionToken, signedCookieValue, type Scale,
} from './shape.js';
import type { Shot } from './lib/load.js';

/** One measured operation: a fixed GET, or a creation that uses one fixture per request. */
export interface Op {
  key: OpKey;
  label: string;
  method: 'GET' | 'POST';
  shot?: Shot;
  /** The t-th fixture of the pool (1-based), for creations. */
  nth?: (t: number) => Shot;
  pool?: number;
}

export type OpKey = 'noop' | 'companies' | 'apps' | 'members' | 'invite' | 'accept' | 'hello' | 'pgselect';

export const OP_LABELS: Record<OpKey, string> = {
  hello: 'bare route (framework ceiling)',
  pgselect: 'PostgreSQL alone: session lookup (pgbench)',
  noop: 'authenticated no-op (/me; peer: get-session)',
  companies: 'my Companies, 500 (first page)',
  apps: 'my Apps (first page)',
  members: 'members of a Company',
  invite: 'create a client invitation (peer: invite-member)',
  accept: 'accept a handover (peer: accept-invitation)',
};

const json = { 'content-type': 'application/json' };

export function ourOps(s: Scale, origin: string, secret: string): Op[] {
  const l = layout(s);
  const cookie = (i: number) => ({ cookie: `dashboard.session_token=${signedCookieValue(sessionToken(i), secret)}` });
  const main = cookie(MAIN_DEV);
  return [
    { key: 'noop', label: OP_LABELS.noop, method: 'GET', shot: { path: '/api/v1/me', headers: main } },
    { key: 'companies', label: OP_LABELS.companies, method: 'GET', shot: { path: '/api/v1/companies', headers: main } },
    { key: 'apps', label: OP_LABELS.apps, method: 'GET', shot: { path: '/api/v1/apps', headers: main } },
    { key: 'members', label: OP_LABELS.members, method: 'GET', shot: { path: `/api/v1/companies/${companyId(MEMBERS_COMPANY)}/members`, headers: main } },
    {
      key: 'invite', label: OP_LABELS.invite, method: 'POST', pool: s.invitePool,
      nth: (t) => ({
        path: `/api/v1/apps/${inviteAppName(t)}/client-invitations`,
        headers: { ...cookie(l.baseInvite + t), ...json, origin },
        body: JSON.stringify({ email: `handover-${t}@client.test`, name: `Client ${t}`, plan: PAID_PLAN }),
      }),
    },
    {
      key: 'accept', label: OP_LABELS.accept, method: 'POST', pool: s.acceptPool,
      nth: (t) => ({
        path: '/api/v1/invitations/accept',
        headers: { ...cookie(l.baseInvitee + t), ...json, origin },
        body: JSON.stringify({
          token: acceptToken(t),
          company: { name: `Client Company ${t}` },
          billingContact: {
            name: `Client Company ${t}`, address: { line1: `Main Street ${t}`, postalCode: '10115', city: 'Berlin', country: 'DE' },
            invoiceEmail: `invoices${t}@client.test`, currency: 'EUR',
          },
          paymentMethod: { token: sandboxToken(t) },
        }),
      }),
    },
  ];
}

export function peerOps(s: Scale, origin: string, secret: string): Op[] {
  const l = layout(s);
  const cookie = (i: number) => ({ cookie: `better-auth.session_token=${signedCookieValue(sessionToken(i), secret)}` });
  const main = cookie(MAIN_DEV);
  return [
    { key: 'noop', label: OP_LABELS.noop, method: 'GET', shot: { path: '/api/auth/get-session', headers: main } },
    { key: 'companies', label: OP_LABELS.companies, method: 'GET', shot: { path: '/api/auth/organization/list', headers: main } },
    { key: 'members', label: OP_LABELS.members, method: 'GET', shot: { path: `/api/auth/organization/list-members?organizationId=${companyId(MEMBERS_COMPANY)}`, headers: main } },
    {
      key: 'invite', label: OP_LABELS.invite, method: 'POST', pool: s.invitePool,
      nth: (t) => ({
        path: '/api/auth/organization/invite-member',
        headers: { ...main, ...json, origin },
        body: JSON.stringify({ email: `ba-invite-${t}@client.test`, role: 'member', organizationId: companyId(((t - 1) % MAIN_DEV_COMPANIES) + 1) }),
      }),
    },
    {
      key: 'accept', label: OP_LABELS.accept, method: 'POST', pool: s.acceptPool,
      nth: (t) => ({
        path: '/api/auth/organization/accept-invitation',
        headers: { ...cookie(l.baseInvitee + t), ...json, origin },
        body: JSON.stringify({ invitationId: invitationId(t) }),
      }),
    },
  ];
}

export function ceilingOps(): Op[] {
  return [{ key: 'hello', label: OP_LABELS.hello, method: 'GET', shot: { path: '/hello', headers: {} } }];
}

