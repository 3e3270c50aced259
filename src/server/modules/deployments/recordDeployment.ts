import type { Ctx } from '../../services.js';
import { recordActivity } from '../activity/record.js';
import type { CodeAccessGranted } from './decideCodeAccess.js';
import { deploymentsRepo } from './repo.js';

/**
 * A push that moved the default branch is a deployment (SPEC 4.9): recorded with its commit,
 * branch, pusher and time, and written to the activity log, in one transaction.
 */
export async function recordDeployment(ctx: Pick<Ctx, 'db' | 'clock'>, granted: CodeAccessGranted, push: { commit: string; branch: string }): Promise<string> {
  const at = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const id = await deploymentsRepo.insert(tx, { appId: granted.app.id, commit: push.commit, branch: push.branch, pushedBy: granted.account.id, at });
    await recordActivity(tx, {
      at, actor: granted.account, companyId: granted.app.companyId, app: granted.app, action: 'app.deployed', category: 'app',
      details: { commit: push.commit, branch: push.branch, deploymentId: String(id) },
    });
    return String(id);
  });
}
