import { useInfiniteQuery } from '@tanstack/react-query';
import { Trans, useTranslation } from 'react-i18next';
import type { Me } from '../api/models';
import { queries } from '../api/queries';
import { Button, LinkButton } from '../components/Button';
import { EmptyState, ErrorMessage } from '../components/Feedback';
import { toApiError } from '../components/Form';
import { QueryState } from '../components/QueryState';
import { Section } from '../components/Layout';
import { timeLeft } from '../format';
import { i18n } from '../i18n';
import { roleLabel } from '../permissions';
import { statusLabel } from './appShared';
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

export { statusLabel } from './appShared';

export function accessLabel(access: string): string {
  return access === 'trial' ? i18n.t('access.trial') : roleLabel(access);
}

export function CompaniesSection({ me }: { me: Me }) {
  const { t } = useTranslation();
  const query = useInfiniteQuery(queries.companyPages());
  return (
    <Section title={t('lists.companies')} actions={<LinkButton to="/companies/new">{t('lists.newCompany')}</LinkButton>}>
      <QueryState query={query}>{(data) => pageItems(data).length === 0 ? (
        <EmptyState title={t('lists.noCompanyTitle')}>
          {me.accountType === 'developer' ? t('lists.noCompanyDeveloper') : t('lists.noCompanyClient')}
        </EmptyState>
      ) : (
        <ul className="item-list" aria-label={t('lists.companiesLabel')}>
          {pageItems(data).map((c) => (
            <li key={c.id} className="item">
              <div className="item-main">
                <Link to={`/companies/${encodeURIComponent(c.id)}`} className="item-title">{c.name}</Link>
                <p className="item-meta"><span>{t('lists.yourRole', { role: roleLabel(c.role) })}</span></p>
              </div>
            </li>
          ))}
        </ul>
      )}</QueryState>
      <ShowMore query={query} label={t('lists.moreCompanies')} />
    </Section>
  );
}

export function AppsSection({ me }: { me: Me }) {
  const { t } = useTranslation();
  const query = useInfiniteQuery(queries.appPages());
  const developer = me.accountType === 'developer';
  return (
    <Section title={t('lists.apps')} actions={developer ? <LinkButton to="/apps/new">{t('lists.newTrial')}</LinkButton> : undefined}>
      <QueryState query={query}>{(data) => pageItems(data).length === 0 ? (
        <EmptyState title={t('lists.noAppsTitle')}>{developer ? t('lists.noAppsDeveloper') : t('lists.noAppsClient')}</EmptyState>
      ) : (
        <ul className="item-list" aria-label={t('lists.appsLabel')}>
          {pageItems(data).map((a) => (
            <li key={a.name} className="item">
              <div className="item-main">
                <Link to={`/apps/${encodeURIComponent(a.name)}`} className="item-title mono">{a.name}</Link>
                <p className="item-meta">
                  <span className={`badge badge-${a.status}`}>{statusLabel(a.status)}</span>
                  <span>{a.company
                    ? <Trans i18nKey="lists.company" values={{ company: a.company.name }} components={{ anchor: <Link to={`/companies/${encodeURIComponent(a.company.id)}`} /> }} />
                    : t('lists.noCompany')}</span>
                  <span>{t('lists.access', { access: accessLabel(a.access) })}</span>
                  {a.status === 'trial' && a.trialEndsAt ? <span>{timeLeft(a.trialEndsAt)}</span> : null}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}</QueryState>
      <ShowMore query={query} label={t('lists.moreApps')} />
    </Section>
  );
}
