import { createHash, createHmac } from 'node:crypto';

/**
 * The shape of the seeded data, shared by both seeds (ours and Better Auth's) and the
 * load driver. Everything is derived from an index, so the driver can build cookies,
 * tokens and bodies without reading the database back.
 *
 * Account index ranges (1-based):
 *   1                      the agency developer who is admin in exactly 500 Companies
 *   2 .. agencyDevs        other agency developers, admin in 100–400 Companies each
 *   invite pool            developers with one trial App each and no open invitation
 *   accept inviters        developers whose trial App has a pending client invitation
 *   invitees               verified clients, one per pending invitation, each with a session
 *   client owners          owner of exactly one Company each (Company j <- owner j)
 *   the rest               developers: collaborators and accountants here and there
 */
export type ScaleName = '10k' | '1m';

export interface Scale {
  name: ScaleName;
  accounts: number;
  companies: number;
  apps: number;
  agencyDevs: number;
  invitePool: number;
  acceptPool: number;
}

export const SCALES: Record<ScaleName, Scale> = {
  '10k': { name: '10k', accounts: 10_000, companies: 3_000, apps: 10_000, agencyDevs: 5, invitePool: 2_000, acceptPool: 2_000 },
  '1m': { name: '1m', accounts: 1_000_000, companies: 300_000, apps: 1_000_000, agencyDevs: 200, invitePool: 5_000, acceptPool: 5_000 },
};

export const MAIN_DEV = 1;
export const MAIN_DEV_COMPANIES = 500;
/** The Company whose members are listed (the main developer is admin there). */
export const MEMBERS_COMPANY = 1;

export interface Layout {
  baseInvite: number;
  baseInviter: number;
  baseInvitee: number;
  baseOwner: number;
  baseMisc: number;
  misc: number;
  companyApps: number;
}

export function layout(s: Scale): Layout {
  const baseInvite = s.agencyDevs;
  const baseInviter = baseInvite + s.invitePool;
  const baseInvitee = baseInviter + s.acceptPool;
  const baseOwner = baseInvitee + s.acceptPool;
  const baseMisc = baseOwner + s.companies;
  const misc = s.accounts - baseMisc;
  if (misc < 100) throw new Error(`scale ${s.name}: too few accounts for the fixture pools`);
  return { baseInvite, baseInviter, baseInvitee, baseOwner, baseMisc, misc, companyApps: s.apps - s.invitePool - s.acceptPool };
}

export const accountId = (i: number) => `acc_${i}`;
export const emailOf = (i: number) => `u${i}@bench.test`;
export const companyId = (j: number) => `co_${j}`;
/** Session tokens: md5 hex of a label, computable in SQL (md5()) and here alike. */
export const sessionToken = (i: number) => createHash('md5').update(`bench-session-${i}`).digest('hex');
export const acceptToken = (t: number) => `bench-accept-${t}`;
export const invitationId = (t: number) => `inv_a_${t}`;
export const sandboxToken = (t: number) => `tok_bench_a_${t}`;
export const inviteAppName = (t: number) => `trial-i-${t}`;

/** Better Auth's signed cookie value: encodeURIComponent(token + '.' + base64(HMAC-SHA256(secret, token))). */
export function signedCookieValue(token: string, secret: string): string {
  return encodeURIComponent(`${token}.${createHmac('sha256', secret).update(token).digest('base64')}`);
}

export const PAID_PLAN = { php: 'php-m', database: 'db-s', storage: 'storage-10' };
export const TRIAL_PLAN = { php: 'php-s', database: 'db-s', storage: 'storage-10' };
