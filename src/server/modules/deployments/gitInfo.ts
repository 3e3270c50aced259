import type { Ctx } from '../../services.js';
import type { Actor } from '../accounts/session.js';
import { recordRefusals } from '../activity/record.js';
import { requireApp } from '../apps/access.js';

export interface GitEndpoint { host: string; port: number; hostKeyFingerprint: string }
export interface GitInfo { cloneUrl: string; hostKeyFingerprint: string; canPush: boolean }

/** How to clone the App (whoever has `app.codeAccess`); a suspended App is read-only. */
export async function getGitInfo(ctx: Ctx, actor: Actor, name: string, endpoint: GitEndpoint): Promise<GitInfo> {
  return recordRefusals(ctx.db, async () => {
    const found = await requireApp(ctx.db, ctx.clock.now(), actor, name, 'app.codeAccess');
    return {
      cloneUrl: `ssh://git@${endpoint.host}:${endpoint.port}/${found.app.name}.git`,
      hostKeyFingerprint: endpoint.hostKeyFingerprint,
      canPush: found.app.status !== 'suspended',
    };
  });
}
