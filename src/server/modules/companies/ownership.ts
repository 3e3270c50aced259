import type { Role } from '../../authz/permissions.js';
import type { DbOrTx } from '../../db/client.js';
import { AppError, notFound } from '../../shared/errors.js';
import { companiesRepo } from './repo.js';

/**
 * Every Company always has at least one owner. Call this in the transaction that removes or
 * demotes `accountId`: it locks the Company row (FOR UPDATE) before counting, so two
 * requests racing to remove the last two owners are serialised and the second one sees a
 * single owner left.
 */
export async function ensureAnotherOwner(tx: DbOrTx, companyId: string, accountId: string): Promise<void> {
  const company = await companiesRepo.lock(tx, companyId);
  if (!company || company.deletedAt) throw notFound('This Company');
  if ((await companiesRepo.countOwnersExcept(tx, companyId, accountId)) === 0) {
    throw new AppError('last_owner', 'A Company needs at least one owner. Make someone else owner first.');
  }
}

/** The member's role, read after taking the Company lock (never a role read before it). */
async function lockedRole(tx: DbOrTx, companyId: string, accountId: string): Promise<Role> {
  const company = await companiesRepo.lock(tx, companyId);
  if (!company || company.deletedAt) throw notFound('This Company');
  const access = await companiesRepo.access(tx, accountId, companyId);
  if (!access) throw notFound('This member');
  return access.role;
}

/**
 * Ends a membership, keeping the owner rule. The primitive of "leave" and "dismiss"
 * (their use-cases, with permissions and mails, come with the team issue).
 */
export async function endMembership(tx: DbOrTx, companyId: string, accountId: string): Promise<Role> {
  const role = await lockedRole(tx, companyId, accountId);
  if (role === 'owner') await ensureAnotherOwner(tx, companyId, accountId);
  await companiesRepo.deleteMembership(tx, companyId, accountId);
  return role;
}

/** Changes a role, keeping the owner rule (the primitive of "change a member's role"). */
export async function changeMembershipRole(tx: DbOrTx, companyId: string, accountId: string, role: Role): Promise<Role> {
  const before = await lockedRole(tx, companyId, accountId);
  if (before === 'owner' && role !== 'owner') await ensureAnotherOwner(tx, companyId, accountId);
  await companiesRepo.setRole(tx, companyId, accountId, role);
  return before;
}
