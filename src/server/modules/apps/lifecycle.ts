import type { DbOrTx } from '../../db/client.js';
import { stopBilling } from '../billing/periods.js';
import { domainsRepo } from '../domains/repo.js';
import { invitationsRepo } from '../invitations/repo.js';
import { appsRepo, type AppRow } from './repo.js';

/**
 * Deletes an App inside the caller's transaction: status `deleted`, the name reserved for
 * 7 days from now, its billing period closed today, collaborator assignments and open client
 * invitations (handovers) ended, its custom domains freed for other Apps (SPEC 4.13).
 * The guarded update makes a second deletion (another process, the trial job) a no-op.
 */
export async function markAppDeleted(tx: DbOrTx, app: AppRow, now: Date): Promise<boolean> {
  const updated = await appsRepo.updateIfLive(tx, app.id, { status: 'deleted', deletedAt: now });
  if (!updated) return false;
  await appsRepo.releaseName(tx, app.name, app.id, now);
  await stopBilling(tx, app.id, now);
  await appsRepo.unassignAll(tx, app.id);
  await invitationsRepo.revokeOpenForApp(tx, app.id, now);
  await domainsRepo.removeAllOfApp(tx, app.id);
  return true;
}
