import type { Actor } from './session.js';
import { accountsRepo, type AccountRow } from './repo.js';
import type { Ctx } from '../../services.js';
import { AppError, validation } from '../../shared/errors.js';
import { isLanguage, type Language } from '../../../shared/i18n/index.js';

export interface Profile {
  id: string; email: string; emailVerified: boolean; firstName: string; lastName: string;
  accountType: 'developer' | 'client'; newsletter: boolean;
  /** 'en' | 'de', null while the Account has not chosen (the web then follows the browser; issue 17). */
  language: Language | null;
  /** Beside API.md's fields (issue 16). */
  twoFactorEnabled: boolean;
  /** Beside API.md's fields: the IANA zone mails show times in (ADR 0070), null until the web sends it. */
  timeZone: string | null;
}

export function toProfile(row: AccountRow): Profile {
  return {
    id: row.id, email: row.email, emailVerified: row.emailVerified, firstName: row.firstName,
    lastName: row.lastName, accountType: row.accountType === 'client' ? 'client' : 'developer', newsletter: row.newsletter,
    twoFactorEnabled: row.twoFactorEnabled, language: isLanguage(row.language) ? row.language : null, timeZone: row.timeZone,
  };
}

/** The Account as this request's session lookup just read it (no second query). */
export function profileOf(actor: Actor): Profile {
  const { id, email, emailVerified, firstName, lastName, accountType, newsletter, twoFactorEnabled, language, timeZone } = actor;
  return { id, email, emailVerified, firstName, lastName, accountType, newsletter, twoFactorEnabled, language: language ?? null, timeZone: timeZone ?? null };
}

export async function getProfile(ctx: Ctx, actor: Actor): Promise<Profile> {
  const row = await accountsRepo.byId(ctx.db, actor.id);
  if (!row) throw new AppError('unauthenticated', 'Please sign in to continue.');
  return toProfile(row);
}

export interface ProfilePatch {
  firstName?: string; lastName?: string; accountType?: 'developer' | 'client'; newsletter?: boolean;
  language?: Language; timeZone?: string;
}

/** Edits the profile. Clients never get the newsletter (SPEC section 1). */
export async function updateProfile(ctx: Ctx, actor: Actor, patch: ProfilePatch): Promise<Profile> {
  const current = await getProfile(ctx, actor);
  const next = { ...current, ...patch };
  if (next.accountType === 'client' && patch.newsletter === true) {
    throw validation('newsletter', 'The newsletter is for developer accounts only.');
  }
  if (next.accountType === 'client') next.newsletter = false;
  const name = `${next.firstName} ${next.lastName}`.trim() || current.email;
  const row = await accountsRepo.update(ctx.db, actor.id, {
    firstName: next.firstName, lastName: next.lastName, accountType: next.accountType,
    newsletter: next.newsletter, name, language: next.language, timeZone: next.timeZone, updatedAt: ctx.clock.now(),
  });
  return toProfile(row);
}
