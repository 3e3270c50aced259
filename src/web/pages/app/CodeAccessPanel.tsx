import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api/client';
import { account } from '../../api/endpoints';
import type { App } from '../../api/types';
import { Button } from '../../components/Button';
import { EmptyState, ErrorMessage, Loading, Notice } from '../../components/Feedback';
import { toApiError } from '../../components/Form';
import { Section } from '../../components/Layout';
import { formatDateTime } from '../../format';
import { canHaveSshKeys, canOnApp } from '../../permissions';
import { Link } from '../../router';
import { useSession } from '../../session';
import './codeAccess.css';

/** API.md, "Code access and deployments". */
interface GitInfo { cloneUrl: string; hostKeyFingerprint: string; canPush: boolean }
interface Deployment { id: string; commit: string; branch: string; pushedBy: { firstName: string; lastName: string }; at: string }
interface DeploymentPage { items: Deployment[]; nextCursor: string | null }

const enc = encodeURIComponent;
const codeAccess = {
  git: (app: string) => api.get<GitInfo>(`/api/v1/apps/${enc(app)}/git`),
  deployments: (app: string, cursor?: string | null) =>
    api.get<DeploymentPage>(`/api/v1/apps/${enc(app)}/deployments${cursor ? `?cursor=${enc(cursor)}` : ''}`),
};

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
  const [page, setPage] = useState<DeploymentPage | null>(null);
  const [error, setError] = useState('');
  const [more, setMore] = useState(false);
  useEffect(() => {
    codeAccess.deployments(app.name).then(setPage, (e) => setError(toApiError(e).detail));
  }, [app.name]);
  const loadMore = async () => {
    if (!page?.nextCursor) return;
    setMore(true);
    try {
      const next = await codeAccess.deployments(app.name, page.nextCursor);
      setPage({ items: [...page.items, ...next.items], nextCursor: next.nextCursor });
    } catch (e) {
      setError(toApiError(e).detail);
    } finally {
      setMore(false);
    }
  };
  if (error) return <ErrorMessage>{error}</ErrorMessage>;
  if (!page) return <Loading />;
  if (page.items.length === 0) {
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
            {page.items.map((d) => (
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
      {page.nextCursor ? <Button onPress={() => void loadMore()} busy={more}>Show older deployments</Button> : null}
    </>
  );
}

function CodeAccess({ app }: { app: App }) {
  const [info, setInfo] = useState<GitInfo | null>(null);
  const [error, setError] = useState('');
  const [hasKey, setHasKey] = useState<boolean | null>(null);
  const command = useRef<HTMLElement>(null);
  const load = useCallback(() => {
    codeAccess.git(app.name).then(setInfo, (e) => setError(toApiError(e).detail));
    account.sshKeys().then((keys) => setHasKey(keys.items.length > 0), () => setHasKey(null));
  }, [app.name]);
  useEffect(load, [load]);
  if (error) return <ErrorMessage>{error}</ErrorMessage>;
  if (!info) return <Loading />;
  const clone = `git clone ${info.cloneUrl}`;
  return (
    <div className="code-access">
      {hasKey === false ? (
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
}

/** The App's git repository (SPEC 4.9): for developers with code access; client Accounts never see it. */
export function CodeAccessPanel({ app }: { app: App }) {
  const { me } = useSession();
  if (!canHaveSshKeys(me) || !canOnApp(app.access, 'app.codeAccess')) return null;
  return <Section title="Code access"><CodeAccess app={app} /></Section>;
}
