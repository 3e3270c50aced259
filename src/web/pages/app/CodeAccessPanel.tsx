import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { codeAccess } from '../../api/endpoints';
import type { App } from '../../api/models';
import { keys, queries } from '../../api/queries';
import { Button } from '../../components/Button';
import { EmptyState, Notice } from '../../components/Feedback';
import { Section } from '../../components/Layout';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../format';
import { canHaveSshKeys, canOnApp } from '../../permissions';
import { Link } from '../../router';
import { useSession } from '../../session';
import './codeAccess.css';

/** Copies a text; says so to screen readers, and falls back to selecting it for Ctrl+C. */
function CopyButton({ text, label, target }: { text: string; label: string; target: React.RefObject<HTMLElement | null> }) {
  const [copied, setCopied] = useState<'yes' | 'select' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('yes');
    } catch {
      const node = target.current;
      if (node) window.getSelection()?.selectAllChildren(node);
      setCopied('select');
    }
  };
  return (
    <span className="copy">
      <Button onPress={() => void copy()} aria-label={label}>Copy</Button>
      <span role="status" className="hint">{copied === 'yes' ? 'Copied.' : copied === 'select' ? 'Selected: press Ctrl+C (⌘C on a Mac) to copy.' : ''}</span>
    </span>
  );
}

function Deployments({ app }: { app: App }) {
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
            <EmptyState title="No deployments yet">
              <p>A push to the <code>main</code> branch deploys the App. From your working copy:</p>
              <pre className="code-block"><code>git push origin HEAD:main</code></pre>
            </EmptyState>
          );
        }
        return (
          <>
            <div className="table-wrap">
              <table>
                <caption className="visually-hidden">Deployments of {app.name}, newest first</caption>
                <thead><tr><th scope="col">Commit</th><th scope="col">Branch</th><th scope="col">Pushed by</th><th scope="col">When</th></tr></thead>
                <tbody>
                  {items.map((d) => (
                    <tr key={d.id}>
                      <td><code title={d.commit}>{d.commit.slice(0, 7)}</code></td>
                      <td>{d.branch}</td>
                      <td>{`${d.pushedBy.firstName} ${d.pushedBy.lastName}`.trim() || '—'}</td>
                      <td>{formatDateTime(d.at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {query.hasNextPage
              ? <Button onPress={() => void query.fetchNextPage()} busy={query.isFetchingNextPage}>Show older deployments</Button> : null}
          </>
        );
      }}
    </QueryState>
  );
}

function CodeAccess({ app }: { app: App }) {
  const git = useQuery(queries.git(app.name));
  const sshKeys = useQuery(queries.sshKeys());
  const command = useRef<HTMLElement>(null);
  return (
    <QueryState query={git}>
      {(info) => {
        const clone = `git clone ${info.cloneUrl}`;
        return (
          <div className="code-access">
            {sshKeys.data && sshKeys.data.items.length === 0 ? (
              <Notice tone="warning" title="Add your SSH key first">
                <p>Git signs in with your SSH key. <Link to="/ssh-keys">Add your SSH key</Link>, then clone with the command below.</p>
              </Notice>
            ) : null}
            {!info.canPush ? (
              <Notice tone="warning" title="This App is suspended">
                <p>You can clone and pull, but pushes are refused until the App is active again.</p>
              </Notice>
            ) : null}
            <h3 className="subheading">Clone the repository</h3>
            <div className="copy-row">
              <pre className="code-block"><code ref={command}>{clone}</code></pre>
              <CopyButton text={clone} label="Copy the clone command" target={command} />
            </div>
            <h3 className="subheading">Server fingerprint</h3>
            <p className="hint">The first time, <code>ssh</code> asks whether to trust the server: go on only if it shows this fingerprint.</p>
            <p><code className="host-fingerprint">{info.hostKeyFingerprint}</code></p>
            <h3 className="subheading">Deployments</h3>
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
  if (!canHaveSshKeys(me) || !canOnApp(app.access, 'app.codeAccess')) return null;
  return <Section title="Code access"><CodeAccess app={app} /></Section>;
}
