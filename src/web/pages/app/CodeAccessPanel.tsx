import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useRef } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { codeAccess } from '../../api/endpoints';
import type { App } from '../../api/models';
import { keys, queries } from '../../api/queries';
import { Button } from '../../components/Button';
import { CopyButton } from '../../components/CopyButton';
import { EmptyState, Notice } from '../../components/Feedback';
import { Section } from '../../components/Layout';
import { QueryState } from '../../components/QueryState';
import { canHaveSshKeys, canOnApp } from '../../permissions';
import { useFormat } from '../../i18n';
import { Link } from '../../router';
import { useSession } from '../../session';
import './codeAccess.css';

/** Commands are shell, not words: the same in every language. */
const PUSH_COMMAND = 'git push origin HEAD:main';
function cloneCommand(url: string): string {
  return `git clone ${url}`;
}

function Deployments({ app }: { app: App }) {
  const { t } = useTranslation();
  const format = useFormat();
  const query = useInfiniteQuery({
    queryKey: keys.deployments(app.name),
    queryFn: ({ pageParam }) => codeAccess.deployments(app.name, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  return (
    <QueryState query={query}>
      {(data) => {
        const items = data.pages.flatMap((page) => page.items);
        if (items.length === 0) {
          return (
            <EmptyState title={t('codeAccess.noDeployments')}>
              <p><Trans i18nKey="codeAccess.noDeploymentsBody" components={{ code: <code /> }} /></p>
              <pre className="code-block"><code>{PUSH_COMMAND}</code></pre>
            </EmptyState>
          );
        }
        return (
          <>
            <div className="table-wrap">
              <table className="deployments">
                <caption className="visually-hidden">{t('codeAccess.caption', { app: app.name })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('codeAccess.commit')}</th><th scope="col">{t('codeAccess.branch')}</th>
                    <th scope="col">{t('codeAccess.pushedBy')}</th><th scope="col">{t('codeAccess.when')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((d) => (
                    <tr key={d.id}>
                      <td data-label={t('codeAccess.commit')}><code title={d.commit}>{d.commit.slice(0, 7)}</code></td>
                      <td data-label={t('codeAccess.branch')}>{d.branch}</td>
                      <td data-label={t('codeAccess.pushedBy')}>{`${d.pushedBy.firstName} ${d.pushedBy.lastName}`.trim() || '—'}</td>
                      <td data-label={t('codeAccess.when')}>{format.dateTime(d.at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {query.hasNextPage
              ? <Button onPress={() => void query.fetchNextPage()} busy={query.isFetchingNextPage}>{t('codeAccess.older')}</Button> : null}
          </>
        );
      }}
    </QueryState>
  );
}

function CodeAccess({ app }: { app: App }) {
  const { t } = useTranslation();
  const git = useQuery(queries.git(app.name));
  const sshKeys = useQuery(queries.sshKeys());
  const command = useRef<HTMLElement>(null);
  return (
    <QueryState query={git}>
      {(info) => {
        const clone = cloneCommand(info.cloneUrl);
        return (
          <div className="code-access">
            {sshKeys.data && sshKeys.data.items.length === 0 ? (
              <Notice tone="warning" title={t('codeAccess.addKeyTitle')}>
                <p><Trans i18nKey="codeAccess.addKeyBody" components={{ anchor: <Link to="/ssh-keys" /> }} /></p>
              </Notice>
            ) : null}
            {!info.canPush ? (
              <Notice tone="warning" title={t('codeAccess.suspendedTitle')}>
                <p>{t('codeAccess.suspendedBody')}</p>
              </Notice>
            ) : null}
            <h3 className="subheading">{t('codeAccess.cloneHeading')}</h3>
            <div className="copy-row">
              <pre className="code-block"><code ref={command}>{clone}</code></pre>
              <CopyButton text={clone} label={t('codeAccess.copyClone')} target={command} />
            </div>
            <h3 className="subheading">{t('codeAccess.fingerprintHeading')}</h3>
            <p className="hint"><Trans i18nKey="codeAccess.fingerprintHint" components={{ code: <code /> }} /></p>
            <p><code className="host-fingerprint">{info.hostKeyFingerprint}</code></p>
            <h3 className="subheading">{t('codeAccess.deploymentsHeading')}</h3>
            <Deployments app={app} />
          </div>
        );
      }}
    </QueryState>
  );
}

/** The App's git repository (SPEC 4.9): for developers with code access; client Accounts never see it. */
export function CodeAccessPanel({ app }: { app: App }) {
  const { me } = useSession();
  const { t } = useTranslation();
  if (!canHaveSshKeys(me) || !canOnApp(app.access, 'app.codeAccess')) return null;
  return <Section title={t('codeAccess.title')}><CodeAccess app={app} /></Section>;
}
