import type { Ctx } from '../../services.js';
import { AppError, type FieldError } from '../../shared/errors.js';
import type { Actor } from '../accounts/session.js';
import { recordActivity, recordRefusals } from '../activity/record.js';
import { requireApp } from './access.js';
import { appsRepo } from './repo.js';
import { inTransaction } from '../../shared/transaction.js';

export const ENV_KEY = /^[A-Z_][A-Z0-9_]*$/;
export const MAX_ENV_VARS = 100;
export const MAX_ENV_VALUE_BYTES = 4096;
export const MAX_ENV_KEY_LENGTH = 128;

export function checkEnv(vars: Record<string, string>): Record<string, string> {
  const errors: FieldError[] = [];
  const keys = Object.keys(vars);
  if (keys.length > MAX_ENV_VARS) errors.push({ path: 'vars', message: `Use at most ${MAX_ENV_VARS} environment variables.` });
  for (const key of keys) {
    if (!ENV_KEY.test(key) || key.length > MAX_ENV_KEY_LENGTH) {
      errors.push({ path: `vars.${key}`, message: 'Names use capital letters, digits and underscores, and do not start with a digit.' });
    }
    const value = vars[key];
    if (typeof value !== 'string') errors.push({ path: `vars.${key}`, message: 'Values are text.' });
    else if (Buffer.byteLength(value, 'utf8') > MAX_ENV_VALUE_BYTES) errors.push({ path: `vars.${key}`, message: 'A value can be at most 4 kB.' });
    else if (value.includes('\u0000')) errors.push({ path: `vars.${key}`, message: 'A value cannot contain a NUL character.' });
  }
  if (errors.length) throw new AppError('validation_failed', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
  return Object.fromEntries(keys.sort().map((k) => [k, vars[k]]));
}

/** Environment variables may hold secrets: reading them needs the same right as changing them. */
export async function getEnv(ctx: Ctx, actor: Actor, name: string): Promise<Record<string, string>> {
  return recordRefusals(ctx.db, async () => (await requireApp(ctx.db, ctx.clock.now(), actor, name, 'app.settings')).app.env);
}

/** Replaces all variables. The activity log records which names changed, never the values. */
export async function putEnv(ctx: Ctx, actor: Actor, name: string, input: Record<string, string>): Promise<Record<string, string>> {
  const vars = checkEnv(input);
  const now = ctx.clock.now();
  return recordRefusals(ctx.db, () => inTransaction(ctx.db, async (tx) => {
    const found = await requireApp(tx, now, actor, name, 'app.settings', { lock: true });
    const before = found.app.env;
    const added = Object.keys(vars).filter((k) => !(k in before));
    const removed = Object.keys(before).filter((k) => !(k in vars));
    const changed = Object.keys(vars).filter((k) => k in before && before[k] !== vars[k]);
    if (added.length + removed.length + changed.length === 0) return before;
    const app = await appsRepo.update(tx, found.app.id, { env: vars });
    await recordActivity(tx, { at: now, actor, companyId: app.companyId, app, action: 'app.env_changed', category: 'app', details: { added, removed, changed } });
    return app.env;
  }));
}
