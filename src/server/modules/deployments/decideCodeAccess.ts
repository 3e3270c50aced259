import { canOnApp, isRole, type AppAccess } from '../../authz/permissions.js';
import type { Ctx } from '../../services.js';
import { recordActivity } from '../activity/record.js';
import { deploymentsRepo, type KeyRow } from './repo.js';

/** An SSH connection that proved possession of an Account's key. */
export interface SshIdentity { keyId: string; accountId: string; fingerprint: string }

export interface CodeAccessGranted {
  allowed: true;
  app: { id: string; name: string; companyId: string | null };
  account: { id: string; firstName: string; lastName: string; email: string };
}

export interface CodeAccessRefused { allowed: false; message: string }

/** The key of this fingerprint, for the SSH login (its possession is proved by the SSH layer). */
export async function findSshKey(ctx: Pick<Ctx, 'db'>, fingerprint: string): Promise<KeyRow | undefined> {
  return deploymentsRepo.keyByFingerprint(ctx.db, fingerprint);
}

/**
 * May this key read (`git-upload-pack`) or push (`git-receive-pack`) the App's repository?
 * Decided anew for every command from one query, through the permission matrix's
 * `app.codeAccess`: nothing is cached, so a dismissal, a removed assignment, a deleted key or a
 * deleted App counts from the next connection on. A suspended App can be read, not pushed.
 * A member refused by the matrix is recorded in the activity log, like a refused API call.
 */
export async function decideCodeAccess(ctx: Pick<Ctx, 'db' | 'clock'>, who: SshIdentity, appName: string, want: 'read' | 'write'): Promise<CodeAccessGranted | CodeAccessRefused> {
  const row = await deploymentsRepo.codeAccess(ctx.db, who.keyId, who.fingerprint, appName);
  if (!row || row.account_id !== who.accountId) {
    return { allowed: false, message: 'This SSH key is no longer in your Dashboard profile: add it again there to use it.' };
  }
  const noAccess: CodeAccessRefused = { allowed: false, message: `You have no access to the App '${appName}'.` };
  if (!row.app_id) return noAccess;
  let access: AppAccess | null = null;
  if (row.status === 'trial') {
    if (row.trial_account_id === row.account_id) access = { kind: 'trial-creator' };
  } else if (isRole(row.role)) {
    access = { kind: 'member', role: row.role, assigned: row.assigned === true };
  }
  const app = { id: row.app_id, name: row.app_name!, companyId: row.company_id };
  const account = { id: row.account_id, firstName: row.first_name, lastName: row.last_name, email: row.email };
  const refuse = async (refused: CodeAccessRefused, reason: string) => {
    await recordActivity(ctx.db, {
      at: ctx.clock.now(), actor: account, companyId: app.companyId, app, action: 'app.codeAccess', category: 'app',
      outcome: 'refused', details: { want, reason, ...(access?.kind === 'member' ? { role: access.role } : {}) },
    });
    return refused;
  };
  if (!canOnApp(access, 'app.codeAccess')) {
    // Someone outside the App's Company learns nothing about it; a member's refusal is recorded.
    return access ? refuse(noAccess, 'role') : noAccess;
  }
  if (want === 'write' && row.status === 'suspended') {
    return refuse({ allowed: false, message: `The App '${appName}' is suspended: you can clone and pull, but pushes are refused until it is active again.` }, 'suspended');
  }
  return { allowed: true, app, account };
}
