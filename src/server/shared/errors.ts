/** One error class for the domain; the HTTP edge maps codes to status (http/problem.ts). */
export type ErrorCode =
  | 'unauthenticated' | 'forbidden' | 'not_found' | 'validation_failed' | 'conflict'
  | 'name_required' | 'email_not_verified' | 'email_mismatch' | 'invitation_invalid'
  | 'invitation_pending_exists' | 'last_owner' | 'own_role' | 'app_name_taken' | 'trial_limit'
  | 'app_is_trial' | 'transfers_blocked' | 'payment_declined' | 'reauthentication_required'
  | 'rate_limited' | 'payload_too_large' | 'two_factor_required' | 'invoice_not_payable' | 'app_suspended';

export interface FieldError {
  path: string; message: string;
  /** A stable word for why, where a client translates it (domains: shared/hostname.ts). */
  reason?: string;
}

export class AppError extends Error {
  constructor(
    public readonly code: ErrorCode,
    public readonly detail: string,
    public readonly errors?: FieldError[],
    /** Extension members of the problem document, e.g. `{reason: "superseded"}` (RFC 9457 §3.2). */
    public readonly extra?: Record<string, string>,
  ) {
    super(detail);
    this.name = 'AppError';
  }
}

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  validation_failed: 400, name_required: 400,
  unauthenticated: 401,
  payment_declined: 402,
  forbidden: 403, email_not_verified: 403, email_mismatch: 403, own_role: 403, reauthentication_required: 403, two_factor_required: 403,
  not_found: 404, invitation_invalid: 404,
  conflict: 409, invitation_pending_exists: 409, last_owner: 409, app_name_taken: 409, trial_limit: 409,
  app_is_trial: 409, transfers_blocked: 409, invoice_not_payable: 409, app_suspended: 409,
  payload_too_large: 413,
  rate_limited: 429,
};

export const TITLE_BY_CODE: Record<ErrorCode, string> = {
  unauthenticated: 'Please sign in',
  forbidden: 'You are not allowed to do this',
  not_found: 'Not found',
  validation_failed: 'Some fields need attention',
  conflict: 'This conflicts with the current state',
  name_required: 'Please add your first and last name first',
  email_not_verified: 'Please confirm your e-mail address first',
  email_mismatch: 'This invitation is for a different e-mail address',
  invitation_invalid: 'This invitation link is not valid',
  invitation_pending_exists: 'There is already an open invitation',
  last_owner: 'A Company needs at least one owner',
  own_role: 'You cannot change your own role',
  app_name_taken: 'This App name is taken',
  trial_limit: 'You already have a trial App',
  app_is_trial: 'Trial Apps cannot be moved',
  transfers_blocked: 'Transfers out of this Company are blocked',
  payment_declined: 'The payment method was declined',
  reauthentication_required: 'Please confirm your password again',
  rate_limited: 'Too many requests',
  payload_too_large: 'The request is too large',
  two_factor_required: 'Two-factor authentication is required',
  invoice_not_payable: 'This invoice cannot be paid',
  app_suspended: 'This App is paused',
};

export const twoFactorRequired = (detail = 'This Company asks every member to use two-factor authentication. Turn it on under Profile → Security, then open the Company again.') => new AppError('two_factor_required', detail);
export const notFound = (what = 'This item') => new AppError('not_found', `${what} does not exist or you cannot see it.`);
export const forbidden = (detail = 'Your role in this Company does not allow this.') => new AppError('forbidden', detail);
export const validation = (path: string, message: string) => new AppError('validation_failed', message, [{ path, message }]);
