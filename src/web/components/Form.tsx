import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, type FieldProblem } from '../api/client';
import { i18n } from '../i18n';

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  console.error(error);
  return new ApiError({ status: 0, code: 'internal', detail: i18n.t('common.somethingWrong') });
}

/** A client-side check result in the same shape as the server's problem+json. */
export function invalid(errors: FieldProblem[], detail: string = i18n.t('form.fixFields')): ApiError {
  return new ApiError({ status: 400, code: 'validation_failed', title: i18n.t('form.fixFieldsTitle'), detail, errors });
}

/**
 * Runs a submit action, keeps "busy" and the last ApiError. `fieldError(path)` gives the
 * message for one field from the problem's errors[].
 */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = useCallback(async (action: () => Promise<void> | void) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  }, []);
  const fieldError = useCallback((path: string) => error?.fieldError(path), [error]);
  return { busy, error, setError, run, fieldError };
}

/** The alert region at the top of a form: announced by screen readers when it appears. */
export function FormAlert({ error, focus }: { error: ApiError | null; focus?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => { if (error && focus) ref.current?.focus(); }, [error, focus]);
  return (
    <div role="alert" className={error ? 'alert alert-error' : 'alert-empty'} ref={ref} tabIndex={error ? -1 : undefined}>
      {error ? (
        <>
          {/* The generic title helps only for field problems; elsewhere the detail says it all. */}
          {error.code === 'validation_failed' && error.title && error.title !== error.detail ? <p className="alert-title">{error.title}</p> : null}
          <p>{error.detail}</p>
        </>
      ) : null}
    </div>
  );
}

interface FormProps {
  onSubmit: () => void | Promise<void>;
  error: ApiError | null;
  busy?: boolean;
  children: ReactNode;
  label?: string;
  className?: string;
}

/**
 * A form with the problem's `detail` at the top (role=alert) and focus moved to the first
 * invalid field after a failed submit, or to the alert when no field is marked.
 */
export function Form({ onSubmit, error, busy, children, label, className }: FormProps) {
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!error || !ref.current) return;
    const firstInvalid = ref.current.querySelector<HTMLElement>('[aria-invalid="true"]:not(fieldset), fieldset[aria-invalid="true"] input');
    const target = firstInvalid ?? ref.current.querySelector<HTMLElement>('.alert-error');
    target?.focus();
  }, [error]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!busy) void onSubmit();
  };
  return (
    <form ref={ref} onSubmit={submit} noValidate aria-label={label} aria-busy={busy || undefined} className={`form ${className ?? ''}`}>
      <FormAlert error={error} />
      {children}
    </form>
  );
}

export function FormActions({ children }: { children: ReactNode }) {
  return <div className="form-actions">{children}</div>;
}
