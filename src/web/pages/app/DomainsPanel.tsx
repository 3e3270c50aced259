import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import type { App } from '../../api/models';
import { keys } from '../../api/queries';
import { Button } from '../../components/Button';
import { CopyButton } from '../../components/CopyButton';
import { ConfirmDialog } from '../../components/Dialog';
import { EmptyState, ErrorMessage, Notice } from '../../components/Feedback';
import { TextField } from '../../components/fields';
import { Form, FormActions, invalid, toApiError, useSubmit } from '../../components/Form';
import { Section } from '../../components/Layout';
import { QueryState } from '../../components/QueryState';
import { WebAddress, webAddressHost } from '../../components/WebAddress';
import { useFormat } from '../../i18n';
import { canOnApp } from '../../permissions';
import { checkHostname, MAX_DOMAINS_PER_APP, type HostnameProblem } from '../../../shared/hostname';
import { domainsApi, domainsKey, domainsQuery, type DnsRecord, type Domain } from './domainsApi';
import './domains.css';

/** Refusals the panel words itself (the host name rules, and the 409 reasons of API.md). */
type Reason = HostnameProblem | 'taken' | 'already_added' | 'limit_reached';
const REASONS: readonly string[] = [
  'empty', 'too_long', 'has_scheme', 'has_port_or_path', 'bad_characters', 'trailing_dot', 'ip_address', 'single_label',
  'label_too_long', 'bad_label', 'reserved_tld', 'apps_domain', 'dashboard_host', 'taken', 'already_added', 'limit_reached',
] satisfies Reason[];
const isReason = (value: unknown): value is Reason => typeof value === 'string' && REASONS.includes(value);

/** The platform's App domain, read off the App's own web address (`https://<name>.<APPS_DOMAIN>`). */
function appsDomainOf(app: App): string {
  const host = webAddressHost(app.webAddress);
  return host.startsWith(`${app.name}.`) ? host.slice(app.name.length + 1) : host;
}

function byHostname(items: Domain[]): Domain[] {
  return [...items].sort((a, b) => (a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : 0));
}

function CopyableCell({ text, label, heading }: { text: string; label: string; heading: string }) {
  const ref = useRef<HTMLElement>(null);
  return (
    <td data-label={heading}>
      <span className="record-cell">
        <code ref={ref}>{text}</code>
        <CopyButton variant="quiet" text={text} label={label} target={ref} />
      </span>
    </td>
  );
}

function Records({ domain }: { domain: Domain }) {
  const { t } = useTranslation();
  const hint = (record: DnsRecord) => (record.type === 'CNAME' ? t('domains.records.cname') : t('domains.records.txt'));
  return (
    <div className="domain-records">
      <div className="table-wrap">
        <table className="records">
          <caption className="visually-hidden">{t('domains.records.caption', { hostname: domain.displayHostname })}</caption>
          <thead>
            <tr><th scope="col">{t('domains.records.type')}</th><th scope="col">{t('domains.records.name')}</th><th scope="col">{t('domains.records.value')}</th></tr>
          </thead>
          <tbody>
            {domain.dnsRecords.map((record) => (
              <tr key={record.type}>
                <td data-label={t('domains.records.type')}><strong>{record.type}</strong></td>
                <CopyableCell text={record.name} heading={t('domains.records.name')} label={t('domains.records.copyName', { type: record.type })} />
                <CopyableCell text={record.value} heading={t('domains.records.value')} label={t('domains.records.copyValue', { type: record.type })} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul className="plain-list record-hints hint">
        {domain.dnsRecords.map((record) => <li key={record.type}><strong>{record.type}</strong>: {hint(record)}</li>)}
      </ul>
    </div>
  );
}

function DomainItem({ app, domain, canManage, onChanged, onRemoved }: {
  app: App; domain: Domain; canManage: boolean; onChanged: (domain: Domain, message: string) => void; onRemoved: (hostname: string) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const { busy, error, run } = useSubmit();
  const [confirming, setConfirming] = useState(false);
  const name = domain.displayHostname;
  const verify = () => run(async () => {
    const checked = await domainsApi.verify(app.name, domain.hostname);
    onChanged(checked, checked.state === 'verified' ? t('domains.verified', { hostname: checked.displayHostname }) : '');
  });
  const check = domain.state === 'pending' && domain.lastCheck ? t(`domains.check.${domain.lastCheck.result}`, { when: format.dateTime(domain.lastCheck.at) }) : null;
  const headingId = `domain-${domain.hostname.replace(/[^a-z0-9-]/g, '-')}`;
  return (
    <li className="domain">
      <div className="domain-head">
        <h4 id={headingId} className="domain-name">{name}</h4>
        <span className={`badge ${domain.state === 'verified' ? 'badge-active' : 'badge-trial'}`}>{t(`domains.state.${domain.state}`)}</span>
        {canManage ? (
          <span className="domain-actions">
            {domain.state === 'pending'
              ? <Button variant="primary" onPress={() => void verify()} busy={busy} aria-label={t('domains.verifyLabel', { hostname: name })}>{t('domains.verify')}</Button>
              : null}
            <Button variant="quiet" onPress={() => setConfirming(true)} aria-label={t('domains.removeLabel', { hostname: name })}>{t('domains.remove')}</Button>
          </span>
        ) : null}
      </div>
      {name !== domain.hostname ? <p className="hint">{t('domains.asciiForm', { ascii: domain.hostname })}</p> : null}
      {error ? <ErrorMessage>{error.detail}</ErrorMessage> : null}
      {check ? <p className={`domain-check domain-check-${domain.lastCheck?.result}`} role="status">{check}</p> : null}
      {domain.state === 'verified' ? (
        <>
          {domain.verifiedAt ? <p className="hint">{t('domains.verifiedOn', { date: format.dateTime(domain.verifiedAt) })}</p> : null}
          <details className="domain-details">
            <summary>{t('domains.records.title')}</summary>
            <Records domain={domain} />
          </details>
        </>
      ) : (
        <>
          <h5 className="records-title">{t('domains.records.title')}</h5>
          <Records domain={domain} />
        </>
      )}
      <ConfirmDialog isOpen={confirming} onClose={() => setConfirming(false)} title={t('domains.removeTitle', { hostname: name })}
        confirmLabel={t('domains.removeConfirm')} onConfirm={async () => {
          try {
            await domainsApi.remove(app.name, domain.hostname);
          } catch (caught) {
            // Someone else removed it already: the list is right without it.
            if (!(caught instanceof ApiError && caught.code === 'not_found')) throw caught;
          }
          onRemoved(domain.hostname);
        }}>
        <p>{t('domains.removeBody', { hostname: name })}</p>
      </ConfirmDialog>
    </li>
  );
}

function AddDomain({ app, count, onAdded }: { app: App; count: number; onAdded: (domain: Domain) => void }) {
  const { t } = useTranslation();
  const [hostname, setHostname] = useState('');
  const { busy, error, setError, run, fieldError } = useSubmit();
  const refuse = (reason: Reason, shown: string) => {
    const message = t(`domains.problems.${reason}`, { hostname: shown, max: MAX_DOMAINS_PER_APP });
    return invalid([{ path: 'hostname', message, reason }], message);
  };
  const submit = () => run(async () => {
    const checked = checkHostname(hostname, { appsDomain: appsDomainOf(app), dashboardHost: typeof location === 'undefined' ? null : location.hostname });
    if (!checked.ok) throw refuse(checked.problem, hostname.trim());
    try {
      const added = await domainsApi.add(app.name, checked.hostname);
      setHostname('');
      onAdded(added);
    } catch (caught) {
      const problem = toApiError(caught);
      const reason = problem.errors.find((e) => e.path === 'hostname')?.reason;
      throw isReason(reason) ? refuse(reason, hostname.trim()) : problem;
    }
  });
  if (count >= MAX_DOMAINS_PER_APP) return <p className="hint">{t('domains.limitReached', { max: MAX_DOMAINS_PER_APP })}</p>;
  return (
    <Form onSubmit={submit} error={error} busy={busy} label={t('domains.add.form')} className="add-domain">
      <TextField label={t('domains.add.label')} name="hostname" value={hostname} onChange={(value) => { setError(null); setHostname(value); }} isRequired
        description={t('domains.add.description')} error={fieldError('hostname')} autoComplete="off" spellCheck={false} inputMode="text" maxLength={300} />
      <FormActions>
        <Button type="submit" variant="primary" busy={busy}>{t('domains.add.submit')}</Button>
      </FormActions>
    </Form>
  );
}

function Domains({ app, canManage }: { app: App; canManage: boolean }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const query = useQuery(domainsQuery(app.name));
  const [notice, setNotice] = useState('');
  const update = (change: (items: Domain[]) => Domain[]) => {
    client.setQueryData(domainsKey(app.name), (old: { items: Domain[]; nextCursor: null } | undefined) => ({ items: byHostname(change(old?.items ?? [])), nextCursor: null }));
    // Adding, verifying and removing are in the Company's activity log.
    if (app.company) void client.invalidateQueries({ queryKey: keys.activity(app.company.id) });
  };
  return (
    <QueryState query={query}>
      {(data) => (
        <div className="domains">
          {notice ? <Notice tone="success">{notice}</Notice> : null}
          {data.items.length === 0 ? (
            <EmptyState title={t('domains.emptyTitle')}><p>{t('domains.empty', { max: MAX_DOMAINS_PER_APP })}</p></EmptyState>
          ) : (
            <>
              <p className="hint">{t('domains.count', { count: data.items.length, max: MAX_DOMAINS_PER_APP })}</p>
              <ul className="item-list domain-list">
                {data.items.map((domain) => (
                  <DomainItem key={domain.hostname} app={app} domain={domain} canManage={canManage}
                    onChanged={(changed, message) => { update((items) => items.map((d) => (d.hostname === changed.hostname ? changed : d))); setNotice(message); }}
                    onRemoved={(hostname) => {
                      const gone = data.items.find((d) => d.hostname === hostname);
                      update((items) => items.filter((d) => d.hostname !== hostname));
                      setNotice(t('domains.removed', { hostname: gone?.displayHostname ?? hostname }));
                    }} />
                ))}
              </ul>
            </>
          )}
          {canManage
            ? <AddDomain app={app} count={data.items.length} onAdded={(added) => {
              update((items) => [...items.filter((d) => d.hostname !== added.hostname), added]);
              setNotice(t('domains.add.added', { hostname: added.displayHostname }));
            }} />
            : <p className="hint">{t('domains.readOnly')}</p>}
        </div>
      )}
    </QueryState>
  );
}

/**
 * "Web address and domains" on the App page (SPEC 4.13): the default address as a link, and
 * for whoever may see them the App's own domains with their state, the DNS entries to set
 * (copyable), and adding, verifying and removing. Mount it with the App of the page:
 * `<DomainsPanel app={app} />`.
 */
export function DomainsPanel({ app }: { app: App }) {
  const { t } = useTranslation();
  const canView = app.status !== 'deleted' && canOnApp(app.access, 'app.domains.view');
  const canManage = canOnApp(app.access, 'app.domains.manage');
  return (
    <Section title={t('domains.title')} id="domains">
      <p className="web-address-line">
        <WebAddress address={app.webAddress} labelled />
      </p>
      <p className="hint">{t('domains.webAddressHint')}</p>
      {canView ? (
        <>
          <h3 className="subheading">{t('domains.ownTitle')}</h3>
          <p>{t('domains.intro')}</p>
          <Domains app={app} canManage={canManage} />
        </>
      ) : null}
    </Section>
  );
}
