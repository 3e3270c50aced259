/**
 * The server's refusals in the page's language (issue 17, ADR 0090). The server answers with a
 * stable `code` (API.md), sometimes a `reason`, and an English `detail`; the web shows the
 * catalogue's message for the code and reason (`problems.*`, src/shared/i18n/problems.*.ts)
 * and falls back to the server's `detail` only for a code it does not know. Field problems are
 * worded by their `reason` (`problems.fields.*`).
 *
 * Four codes are broad (validation_failed, conflict, not_found, forbidden): the server's detail
 * names the exact case ("This App was moved in the meantime"). Without a known reason, an
 * English page keeps that detail, and a German page shows the code's German message.
 */
import { i18n } from '../i18n';

/** `reason`: a stable word for why, where the server gives one (domains: src/shared/hostname.ts). */
export interface FieldProblem { path: string; message: string; reason?: string }

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  code: string;
  detail: string;
  errors?: FieldProblem[];
  /** An extension member some problems carry, e.g. "superseded" on invitation_invalid (issue 17). */
  reason?: string;
  /** The server's own English detail, kept beside the worded `detail` (for logs and tests). */
  serverDetail?: string;
}

const BROAD = new Set(['validation_failed', 'conflict', 'not_found', 'forbidden']);

/** "in 3 minutes", "in 45 seconds" from a Retry-After header (seconds); "a moment" when absent. */
export function waitWords(retryAfter: string | null | undefined): string {
  const seconds = Number(retryAfter);
  if (!retryAfter || !Number.isFinite(seconds) || seconds <= 0) return i18n.t('problems.wait.moment');
  if (seconds < 60) return i18n.t('problems.wait.seconds', { count: Math.ceil(seconds) });
  return i18n.t('problems.wait.minutes', { count: Math.ceil(seconds / 60) });
}

const known = (key: string) => i18n.exists(key);
/** Keys built from a code or reason the server sent: checked with `known` first, so untyped here. */
const say = (key: string, options?: Record<string, unknown>): string => (i18n.t as unknown as (k: string, o?: Record<string, unknown>) => string)(key, options);
const english = () => !i18n.language || i18n.language.startsWith('en');

/** The message for a problem's code (and reason), or the server's detail for an unknown code. */
export function problemMessage(problem: Pick<Problem, 'code' | 'reason' | 'detail'>, retryAfter?: string | null): string {
  const words = { wait: waitWords(retryAfter) };
  const base = `problems.${problem.code}`;
  if (problem.reason && known(`${base}.${problem.reason}`)) return say(`${base}.${problem.reason}`, words);
  if (!known(`${base}.default`)) return problem.detail;
  if (BROAD.has(problem.code) && english() && problem.detail) return problem.detail;
  return say(`${base}.default`, words);
}

/** A field problem in the page's language: by its reason; a reason the catalogue does not know is left to the page (e.g. domains). */
export function fieldMessage(field: FieldProblem): string {
  if (field.reason) return known(`problems.fields.${field.reason}`) ? say(`problems.fields.${field.reason}`) : field.message;
  return english() ? field.message : i18n.t('problems.fields.default');
}

/** The server's problem, worded for the page: detail, title of field problems, each field's message. */
export function wordProblem(problem: Problem, retryAfter?: string | null): Problem {
  return {
    ...problem,
    detail: problemMessage(problem, retryAfter),
    ...(problem.code === 'validation_failed' ? { title: i18n.t('form.fixFieldsTitle') } : {}),
    ...(problem.errors ? { errors: problem.errors.map((e) => ({ ...e, message: fieldMessage(e) })) } : {}),
  };
}
