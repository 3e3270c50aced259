import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { companies } from '../../api/endpoints';
import type { App, Member } from '../../api/models';
import { keys, queries } from '../../api/queries';
import { LinkButton } from '../../components/Button';
import { EmptyState, Notice } from '../../components/Feedback';
import { Page, Section } from '../../components/Layout';
import { personName } from '../../format';
import { useFormat } from '../../i18n';
import { Link } from '../../router';
import { describeAction, statusLabel } from '../appShared';

const RECENT = 5;

/** Who works on the App: everyone in its Company but collaborators on other Apps, with their role in plain words. */
function People({ app, companyId }: { app: App; companyId: string }) {
  const { t } = useTranslation();
  const members = useQuery(queries.members(companyId));
  const people = (members.data ?? []).filter((m: Member) => m.role !== 'collaborator' || (m.appNames ?? []).includes(app.name));
  if (members.isPending) return null;
  if (!people.length) return <p>{t('client.app.peopleEmpty')}</p>;
  return (
    <ul className="plain-list" aria-label={t('client.app.people')}>
      {people.map((m) => (
        <li key={m.accountId}><strong>{personName(m)}</strong> · {t(`client.app.roles.${m.role}`)}</li>
      ))}
    </ul>
  );
}

/** The App's latest changes from the Company's activity, in the catalogue's plain words. */
function Recent({ app, companyId }: { app: App; companyId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const query = useInfiniteQuery({
    queryKey: keys.activity(companyId),
    queryFn: ({ pageParam }) => companies.activity(companyId, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor ?? null,
  });
  const events = (query.data?.pages.flatMap((p) => p.items) ?? []).filter((e) => e.appName === app.name && e.outcome !== 'refused').slice(0, RECENT);
  if (query.isPending) return null;
  if (!events.length) return <EmptyState title={t('client.app.recentEmpty')}>{null}</EmptyState>;
  return (
    <ol className="item-list activity" aria-label={t('client.app.recent')}>
      {events.map((e) => (
        <li key={e.id} className="item">
          <p className="item-title">{e.actor?.name || t('activity.someone')} {describeAction(e.action)}</p>
          <p className="item-meta"><time dateTime={e.at}>{f.dateTime(e.at)}</time></p>
        </li>
      ))}
    </ol>
  );
}

/**
 * The App as its owner sees it when the owner is a client (issue 17, SPEC 4.12): the website,
 * what it costs with VAT, who works on it, what changed, billing. The developer's settings sit
 * behind one "Technical settings" disclosure with a plain warning; the environment editor is
 * never part of it, so a client never sees secret values.
 */
export function ClientAppView({ app, webAddress, technical, flash }: { app: App; webAddress?: string; technical: ReactNode; flash?: string | null }) {
  const { t } = useTranslation();
  const f = useFormat();
  const companyId = app.company?.id;
  const cost = app.monthlyCost;
  return (
    <Page title={app.name} lead={companyId && app.company
      ? <>{t('client.app.yourWebsite')} · <Trans i18nKey="app.belongsTo" values={{ company: app.company.name }} components={{ anchor: <Link to={`/companies/${encodeURIComponent(companyId)}`} /> }} /></>
      : t('client.app.yourWebsite')}>
      {flash ? <Notice tone="success">{flash}</Notice> : null}
      <Section title={t('app.overview')}>
        <dl className="facts">
          {webAddress ? <div><dt>{t('client.app.address')}</dt><dd><a href={webAddress} rel="noreferrer" target="_blank">{webAddress.replace(/^https:\/\//, '')}</a></dd></div> : null}
          <div><dt>{t('client.app.status')}</dt><dd><span className={`badge badge-${app.status}`}>{statusLabel(app.status)}</span></dd></div>
          <div><dt>{t('client.app.cost')}</dt><dd>{cost
            ? (cost.vatRate ? t('client.money.breakdown', { net: f.money(cost.net), rate: cost.vatRate.toLocaleString(f.locale), vat: f.money(cost.vat), gross: f.money(cost.gross) }) : t('client.money.breakdownNoVat', { net: f.money(cost.net) }))
            : t('client.money.monthlyNet', { net: f.money(app.monthlyPrice) })}</dd></div>
          {app.billingContact ? <div><dt>{t('client.app.billedTo')}</dt><dd>{app.billingContact.name}</dd></div> : null}
        </dl>
        {app.suspension ? <Notice tone="warning">{t('billing.suspended', { number: app.suspension.invoiceNumber, date: f.date(app.suspension.since) })}</Notice> : null}
      </Section>
      {companyId ? (
        <>
          <Section title={t('client.app.people')}><People app={app} companyId={companyId} /></Section>
          <Section title={t('client.app.recent')}>
            <Recent app={app} companyId={companyId} />
            <p><Link to={`/companies/${encodeURIComponent(companyId)}`}>{t('client.app.allActivity')}</Link></p>
          </Section>
          <Section title={t('client.app.billing')}>
            <p>{t('client.app.billingBody')}</p>
            <LinkButton to={`/companies/${encodeURIComponent(companyId)}?tab=billing`}>{t('client.app.goToBilling')}</LinkButton>
          </Section>
        </>
      ) : null}
      <details className="technical">
        <summary>{t('client.app.technicalTitle')}</summary>
        <Notice tone="warning">{t('client.app.technicalWarning')}</Notice>
        {technical}
      </details>
    </Page>
  );
}
