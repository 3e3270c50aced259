import { useEffect, useState } from 'react';
import { Button } from '../components/Button';
import { isApiError } from '../api/client';
import { apps as appsApi, companies as companiesApi } from '../api/endpoints';
import type { AppSummary, CompanySummary, Me } from '../api/models';
import { LinkButton } from '../components/Button';
import { EmptyState, ErrorMessage, Loading } from '../components/Feedback';
import { toApiError } from '../components/Form';
import { Section } from '../components/Layout';
import { timeLeft } from '../format';
import { roleLabel } from '../permissions';
import { Link } from '../router';

export type Paged<T> =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'ready'; items: T[]; more: (() => void) | null; busy: boolean; moreError: string | null };

/** A paginated list (API.md: `{items, nextCursor}`) with a "Show more" step. */
export function usePagedList<T>(load: (cursor: string | null) => Promise<{ items: T[]; nextCursor?: string | null }>): Paged<T> {
  const [items, setItems] = useState<T[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    setItems(null);
    load(null).then(
      (page) => { if (alive) { setItems(page.items); setCursor(page.nextCursor ?? null); } },
      (e) => {
        if (!alive) return;
        setError(isApiError(e, 'not_found') ? 'This part of the Dashboard is not available yet. Please try again later.' : toApiError(e).detail);
      },
    );
    return () => { alive = false; };
  }, [load]);
  if (error) return { state: 'error', message: error };
  if (!items) return { state: 'loading' };
  const more = cursor ? () => {
    setBusy(true);
    setMoreError(null);
    load(cursor).then((page) => { setItems([...items, ...page.items]); setCursor(page.nextCursor ?? null); },
      (e) => setMoreError(toApiError(e).detail)).finally(() => setBusy(false));
  } : null;
  return { state: 'ready', items, more, busy, moreError };
}

export function ShowMore({ list, label }: { list: Paged<unknown>; label: string }) {
  if (list.state !== 'ready') return null;
  return (
    <>
      {list.moreError ? <ErrorMessage>{list.moreError}</ErrorMessage> : null}
      {list.more ? <Button onPress={list.more} busy={list.busy}>{label}</Button> : null}
    </>
  );
}

const loadCompanies = (cursor: string | null) => companiesApi.list(cursor);
const loadApps = (cursor: string | null) => appsApi.list({ cursor });

export const STATUS_LABEL: Record<string, string> = { trial: 'Free trial', active: 'Active', suspended: 'Suspended', deleted: 'Deleted' };

export function accessLabel(access: string): string {
  if (access === 'trial') return 'Your trial';
  return roleLabel(access);
}

export function CompaniesSection({ me }: { me: Me }) {
  const list = usePagedList<CompanySummary>(loadCompanies);
  return (
    <Section title="Your Companies" actions={<LinkButton to="/companies/new">Set up a new Company</LinkButton>}>
      {list.state === 'loading' ? <Loading /> : list.state === 'error' ? <ErrorMessage>{list.message}</ErrorMessage> : list.items.length === 0 ? (
        <EmptyState title="You are not in any Company yet">
          {me.accountType === 'developer'
            ? 'A Company owns Apps and pays for them. Usually your client sets one up when you hand an App over to them. You can also set up a Company for your own business.'
            : 'A Company owns your website and pays for it. When your developer hands a website over to you, you set one up in a few steps.'}
        </EmptyState>
      ) : (
        <ul className="item-list" aria-label="Companies">
          {list.items.map((c) => (
            <li key={c.id} className="item">
              <div className="item-main">
                <Link to={`/companies/${encodeURIComponent(c.id)}`} className="item-title">{c.name}</Link>
                <p className="item-meta"><span>Your role: {roleLabel(c.role)}</span></p>
              </div>
            </li>
          ))}
        </ul>
      )}
      <ShowMore list={list} label="Show more Companies" />
    </Section>
  );
}

export function AppsSection({ me }: { me: Me }) {
  const list = usePagedList<AppSummary>(loadApps);
  const developer = me.accountType === 'developer';
  return (
    <Section title="Your Apps" actions={developer ? <LinkButton to="/apps/new">Create a free trial App</LinkButton> : undefined}>
      {list.state === 'loading' ? <Loading /> : list.state === 'error' ? <ErrorMessage>{list.message}</ErrorMessage> : list.items.length === 0 ? (
        <EmptyState title="No Apps yet">
          {developer
            ? 'An App is one hosted website. Start with a free trial App, build the site, then hand it over to your client or book it for a Company.'
            : 'When your developer hands your website over to you, it appears here.'}
        </EmptyState>
      ) : (
        <ul className="item-list" aria-label="Apps">
          {list.items.map((a) => (
            <li key={a.name} className="item">
              <div className="item-main">
                <Link to={`/apps/${encodeURIComponent(a.name)}`} className="item-title mono">{a.name}</Link>
                <p className="item-meta">
                  <span className={`badge badge-${a.status}`}>{STATUS_LABEL[a.status] ?? a.status}</span>
                  <span>{a.company ? <>Company: <Link to={`/companies/${encodeURIComponent(a.company.id)}`}>{a.company.name}</Link></> : 'No Company (trial)'}</span>
                  <span>Access: {accessLabel(a.access)}</span>
                  {a.status === 'trial' && a.trialEndsAt ? <span>{timeLeft(a.trialEndsAt)}</span> : null}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
      <ShowMore list={list} label="Show more Apps" />
    </Section>
  );
}
