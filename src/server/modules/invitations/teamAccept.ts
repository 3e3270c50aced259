import type { Ctx } from '../../services.js';
import { AppError } from '../../shared/errors.js';
import type { Actor } from '../accounts/session.js';
import type { AcceptResult } from './acceptClientInvitation.js';

/** Team invitations (SPEC 4.6) are accepted here; built with the team issue. */
export async function acceptTeamInvitation(_ctx: Ctx, _actor: Actor, _token: string | null): Promise<AcceptResult> {
  throw new AppError('invitation_invalid', 'Team invitations are not available yet.');
}
