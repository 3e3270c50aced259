import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from '../router';

/** A calm status message (role=status, polite). */
export function Notice({ tone = 'info', children, title }: { tone?: 'info' | 'success' | 'warning'; title?: string; children: ReactNode }) {
  return (
    <div role="status" className={`notice notice-${tone}`}>
      {title ? <p className="notice-title">{title}</p> : null}
      <div>{children}</div>
    </div>
  );
}

/** A warning that should be read before acting; static, so not a live region. */
export function Callout({ title, children }: { title: string; children: ReactNode }) {
  return (
    <aside className="notice notice-warning" aria-label={title}>
      <p className="notice-title">{title}</p>
      <div>{children}</div>
    </aside>
  );
}

/** An error that replaces a section's content (loading failed, not found, ...). */
export function ErrorMessage({ children, focus }: { children: ReactNode; focus?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => { if (focus) ref.current?.focus(); }, [focus]);
  return <div role="alert" className="alert alert-error" ref={ref} tabIndex={-1}>{children}</div>;
}

export function EmptyState({ title, children, action }: { title: string; children: ReactNode; action?: { to: string; label: string } }) {
  return (
    <div className="empty-state">
      <p className="empty-title">{title}</p>
      <div className="empty-text">{children}</div>
      {action ? <Link to={action.to} className="btn btn-primary">{action.label}</Link> : null}
    </div>
  );
}

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return <p className="loading" role="status">{label ?? t('common.loading')}</p>;
}
