import { canOnApp, type Action, type AppAccess } from '../../authz/permissions.js';
import type { DbOrTx } from '../../db/client.js';
import { notFound, twoFactorRequired } from '../../shared/errors.js';
import type { Actor } from '../accounts/session.js';
import { RefusedError } from '../activity/record.js';
import { companiesRepo } from '../companies/repo.js';
import { RetryTransaction } from '../../shared/transaction.js';
import { appsRepo, type AppWithCompany } from './repo.js';

export interface AppContext extends AppWithCompany { access: AppAccess }

/**
 * The lock order of docs/decisions/0016-lock-order.md for a change to one App: its Company
 * first (FOR KEY SHARE, unless the caller already holds it FOR UPDATE), then the App row.
 * If the App moved to another Company between the look-up and the lock, the transaction is
 * run again from the start.
 */
export async function lockApp(tx: DbOrTx, name: string): Promise<AppWithCompany | undefined> {
  // A trial App has no Company to lock first: it comes back locked from the first read.
  const seen = await appsRepo.byNameLockingTrial(tx, name);
  if (!seen) return undefined;
  if (seen.locked) return { app: seen.app, company: seen.company, companyRequiresTwoFactor: seen.companyRequiresTwoFactor };
  if (seen.app.companyId) await companiesRepo.lockShared(tx, seen.app.companyId);
  const locked = await appsRepo.byName(tx, name, true);
  if (locked && (locked.app.id !== seen.app.id || locked.app.companyId !== seen.app.companyId)) {
    throw new RetryTransaction(`App ${name} moved while it was being locked`);
  }
  return locked;
}

/**
 * Loads a live App the caller may act on. A trial App is visible to its creator only;
 * a Company's App to its members. Not visible: 404. Visible but not allowed (a
 * collaborator on another App, an accountant): 403, recorded as a refused attempt.
 */
export async function requireApp(tx: DbOrTx, at: Date, actor: Actor, name: string, action: Action, opts: { lock?: boolean } = {}): Promise<AppContext> {
  const found = opts.lock ? await lockApp(tx, name) : await appsRepo.byName(tx, name);
  if (!found) throw notFound('This App');
  let access: AppAccess | null = null;
  if (found.app.status === 'trial') {
    if (found.app.trialAccountId === actor.id) access = { kind: 'trial-creator' };
  } else if (found.app.companyId) {
    const member = await appsRepo.memberAccess(tx, actor.id, found.app.companyId, found.app.id, opts.lock ?? false);
    if (member) access = { kind: 'member', role: member.role, assigned: member.assigned };
  }
  if (!access) throw notFound('This App');
  if (access.kind === 'member' && found.companyRequiresTwoFactor && !actor.twoFactorEnabled) throw twoFactorRequired();
  if (!canOnApp(access, action)) {
    throw new RefusedError(
      { at, actor, companyId: found.app.companyId, app: found.app, action, category: 'app', details: { role: access.kind === 'member' ? access.role : null } },
      access.kind === 'member' && access.role === 'collaborator' ? 'This App is not assigned to you, or your role does not allow this.' : undefined,
    );
  }
  return { ...found, access };
}
