import type { DbOrTx } from '../../db/client.js';
import { insertRow, type WriteTarget } from '../../db/writeBatch.js';
import { activityEvents } from '../../db/schema.js';
import { AppError } from '../../shared/errors.js';
import type { Actor } from '../accounts/session.js';

/**
 * What an event is about; it decides who may read it (accountants read `billing`, a
 * collaborator reads events of their assigned Apps).
 */
export type ActivityCategory = 'company' | 'member' | 'billing' | 'app';

export interface ActivityInput {
  at: Date;
  actor: Pick<Actor, 'id' | 'firstName' | 'lastName' | 'email'> | null;
  companyId: string | null;
  app?: { id: string; name: string } | null;
  action: string;
  category: ActivityCategory;
  outcome?: 'ok' | 'refused';
  details?: Record<string, unknown>;
}

export function actorName(actor: ActivityInput['actor']): string {
  if (!actor) return 'System';
  return `${actor.firstName} ${actor.lastName}`.trim() || actor.email;
}

/** The row of an event (recordActivity writes it; a bulk writer such as the monthly invoice run writes many at once). */
export function activityRow(event: ActivityInput): typeof activityEvents.$inferInsert {
  return {
    at: event.at,
    actorId: event.actor?.id ?? null,
    actorName: actorName(event.actor),
    companyId: event.companyId,
    appId: event.app?.id ?? null,
    appName: event.app?.name ?? null,
    action: event.action,
    outcome: event.outcome ?? 'ok',
    category: event.category,
    details: event.details ?? {},
  };
}

/** Appends an event; call it in the same transaction (or write batch) as the change it records. */
export async function recordActivity(target: WriteTarget, event: ActivityInput): Promise<void> {
  await insertRow(target, activityEvents, activityRow(event));
}

/**
 * A 403 that is also written to the activity log. It is thrown inside the transaction
 * (which rolls back), and recorded afterwards by `recordRefusals`.
 */
export class RefusedError extends AppError {
  constructor(public readonly refusal: Omit<ActivityInput, 'outcome'>, detail?: string) {
    super('forbidden', detail ?? 'Your role in this Company does not allow this.');
  }
}

/** Runs a use-case step and records a refused attempt outside the rolled-back transaction. */
export async function recordRefusals<T>(db: DbOrTx, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof RefusedError) {
      await recordActivity(db, { ...err.refusal, outcome: 'refused' });
    }
    throw err;
  }
}
