import type { Ctx } from '../services.js';
import { deploymentsRepo } from '../modules/deployments/repo.js';
import { NAME_RESERVATION_DAYS } from '../modules/apps/repo.js';
import { removeRepository } from '../ssh/repositories.js';

/** Looks back a little longer than the name reservation, so a process that was down a while still cleans up. */
const LOOK_BACK_MS = (NAME_RESERVATION_DAYS + 1) * 86_400_000;

/**
 * A deleted App's repository is removed once its name is released (SPEC 4.9), which App
 * deletion does in its transaction; this sweep follows up outside of it, so a crash between
 * the two only delays the removal. Access stops at deletion already: the access query reads
 * live Apps only. Returns how many repositories were removed.
 */
export async function removeDeletedRepositories(ctx: Pick<Ctx, 'db' | 'clock' | 'config'>): Promise<number> {
  const ids = await deploymentsRepo.deletedSince(ctx.db, new Date(ctx.clock.now().getTime() - LOOK_BACK_MS));
  let removed = 0;
  for (const id of ids) if (removeRepository(ctx.config.reposDir, id)) removed += 1;
  return removed;
}
