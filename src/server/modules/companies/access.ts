import { can, type Action, type Role } from '../../authz/permissions.js';
import type { DbOrTx } from '../../db/client.js';
import { notFound, twoFactorRequired } from '../../shared/errors.js';
import type { Actor } from '../accounts/session.js';
import { RefusedError, type ActivityCategory } from '../activity/record.js';
import { companiesRepo, type CompanyRow } from './repo.js';

export interface CompanyAccess { company: CompanyRow; role: Role }

const CATEGORY_OF: Partial<Record<Action, ActivityCategory>> = {
  'billing.manage': 'billing', 'billing.view': 'billing', 'invoice.view': 'billing', 'invoice.pay': 'billing',
  'app.book': 'app', 'app.delete': 'app', 'app.settings': 'app', 'app.scale': 'app', 'app.view': 'app',
};

/**
 * SPEC 4.10, ADR 0100: in a Company that requires it, a member without two-factor opens
 * nothing — its own routes (requireCompany, requireApp) and the routes that act on it from
 * elsewhere (the target of an App transfer, an existing Company taking over a handed-over App).
 */
export function requireTwoFactorPolicy(company: { requireTwoFactor: boolean }, actor: Actor): void {
  if (company.requireTwoFactor && !actor.twoFactorEnabled) throw twoFactorRequired();
}

/**
 * The caller's role in a Company, from the server-side membership (never from the body):
 * an outsider gets 404, a member without the permission 403 (recorded as a refused attempt).
 * With `lock`, the Company row (KEY SHARE; UPDATE with `lock: 'update'`) and then the membership
 * row are held until commit, so the role cannot change underneath.
 */
export async function requireCompany(tx: DbOrTx, at: Date, actor: Actor, companyId: string, action: Action, opts: { lock?: boolean | 'update' } = {}): Promise<CompanyAccess> {
  const access = await companiesRepo.access(tx, actor.id, companyId, opts.lock === 'update' ? 'update' : opts.lock ? 'share' : false);
  if (!access) throw notFound('This Company');
  requireTwoFactorPolicy(access.company, actor);
  if (!can(access.role, action)) {
    throw new RefusedError({
      at, actor, companyId, action, category: CATEGORY_OF[action] ?? 'company', details: { role: access.role },
    });
  }
  return access;
}
