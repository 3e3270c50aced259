import { useInfiniteQuery } from '@tanstack/react-query';
import type { Me } from '../api/models';
import { queries } from '../api/queries';
import { Button, LinkButton } from '../components/Button';
import { EmptyState, ErrorMessage } from '../components/Feedback';
import { toApiError } from '../components/Form';
import { QueryState } from '../components/QueryState';
import { Section } from '../components/Layout';
import { timeLeft } from '../format';
import { roleLabel } from '../permissions';
import { Link } from '../router';

/** A "Show more" list read page by page (`useInfiniteQuery(queries.appPages())`). */
interface PagedQuery {
  hasNextPage: boolean; isFetchingNextPage: boolean; isFetchNextPageError: boolean; error: unknown;
  fetchNextPage: () => Promise<unknown>;
}

/** The items of every page loaded so far. */
export function pageItems<T>(data: { pages: { items: T[] }[] }): T[] {
  return data.pages.flatMap((page) => page.items);
}

export function ShowMore({ query, label }: { query: PagedQuery; label: string }) {
  return (
    <>
      {query.isFetchNextPageError ? <ErrorMessage>{toApiError(query.error).detail}</ErrorMessage> : null}
      {query.hasNextPage ? <Button onPress={() => void query.fetchNextPage()} busy={query.isFetchingNextPage}>{label}</Button> : null}
    </>
  );
}

export const STATUS_LABEL: Record<string, string> = { trial: 'Free trial', active: 'Active', suspended: 'Suspended', deleted: 'Deleted' };

export function accessLabel(access: string): string {
  if (access === 'trial') return 'Your trial';
  return roleLabel(access);
}

export function CompaniesSection({ me }: { me: Me }) {
  const query = useInfiniteQuery(queries.companyPages());
  return (
    <Section title="Your Companies" actions={<LinkButton to="/companies/new">Set up a new Company</LinkButton>}>
      <QueryState query={query}>{(data) => pageItems(data).length === 0 ? (
        <EmptyState title="You are not in any Company yet">
          {me.accountType === 'developer'
            ? 'A Company owns Apps and pays for them. Usually your client sets one up when you hand an App over to them. You can also set up a Company for your own business.'
            : 'A Company owns your website and pays for it. When your developer hands a website over to you, you set one up in a few steps.'}
        </EmptyState>
      ) : (
        <ul className="item-list" aria-label="Companies">
          {pageItems(data).map((c) => (
            <li key={c.id} className="item">
              <div className="item-main">
                <Link to={`/companies/${encodeURIComponent(c.id)}`} className="item-title">{c.name}</Link>
                <p className="item-meta"><span>Your role: {roleLabel(c.role)}</span></p>
              </div>
            </li>
          ))}
        </ul>
      )}</QueryState>
      <ShowMore query={query} label="Show more Companies" />
    </Section>
  );
}

export function AppsSection({ me }: { me: Me }) {
  const query = useInfiniteQuery(queries.appPages());
  const developer = me.accountType === 'developer';
  return (
    <Section title="Your Apps" actions={developer ? <LinkButton to="/apps/new">Create a free trial App</LinkButton> : undefined}>
      <QueryState query={query}>{(data) => pageItems(data).length === 0 ? (
        <EmptyState title="No Apps yet">
          {developer
            ? 'An App is one hosted website. Start with a free trial App, build the site, then hand it over to your client or book it for a Company.'
            : 'When your developer hands your website over to you, it appears here.'}
        </EmptyState>
      ) : (
        <ul className="item-list" aria-label="Apps">
          {pageItems(data).map((a) => (
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
      )}</QueryState>
      <ShowMore query={query} label="Show more Apps" />
    </Section>
  );
}
