import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { account } from '../api/endpoints';
import type { SshKey } from '../api/models';
import { keys as queryKeys, queries } from '../api/queries';
import { Button } from '../components/Button';
import { ConfirmDialog } from '../components/Dialog';
import { EmptyState, Notice } from '../components/Feedback';
import { TextAreaField, TextField } from '../components/fields';
import { Form, FormActions, invalid, useSubmit } from '../components/Form';
import { Page, Section } from '../components/Layout';
import { QueryState } from '../components/QueryState';
import { formatDate } from '../format';
import { canHaveSshKeys } from '../permissions';
import { useSession } from '../session';
import { NotFoundPage } from './NotFound';

function AddKeyForm({ onAdded }: { onAdded: (key: SshKey) => void }) {
  const [title, setTitle] = useState('');
  const [publicKey, setPublicKey] = useState('');
  const { busy, error, run, fieldError } = useSubmit();
  const submit = () => run(async () => {
    const missing = [
      !title.trim() && { path: 'title', message: 'Give the key a name, like “Work laptop”.' },
      !publicKey.trim() && { path: 'publicKey', message: 'Paste your public key.' },
    ].filter((e): e is { path: string; message: string } => !!e);
    if (missing.length) throw invalid(missing);
    const key = await account.addSshKey(title.trim(), publicKey.trim());
    setTitle('');
    setPublicKey('');
    onAdded(key);
  });
  return (
    <Form onSubmit={submit} error={error} busy={busy} label="Add an SSH key">
      <TextField label="Name" name="title" value={title} onChange={setTitle} isRequired error={fieldError('title')}
        description="Helps you recognise the key later, for example the computer it lives on." />
      <TextAreaField label="Public key" name="publicKey" value={publicKey} onChange={setPublicKey} isRequired rows={5}
        className="field-mono" error={fieldError('publicKey')}
        description={<>Paste the contents of your <code>.pub</code> file, starting with <code>ssh-ed25519</code>, <code>ecdsa-sha2-…</code> or <code>ssh-rsa</code>. Never paste the private key.</>} />
      <FormActions><Button type="submit" variant="primary" busy={busy}>Add key</Button></FormActions>
    </Form>
  );
}

export function SshKeysPage() {
  const { me } = useSession();
  const allowed = canHaveSshKeys(me);
  const client = useQueryClient();
  const list = useQuery({ ...queries.sshKeys(), enabled: allowed });
  const [toDelete, setToDelete] = useState<SshKey | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const refetch = () => client.invalidateQueries({ queryKey: queryKeys.sshKeys });

  // Client accounts never see SSH keys: the page does not exist for them.
  if (!allowed) return <NotFoundPage />;

  return (
    <Page title="SSH keys" lead="SSH keys let your computer push code to your Apps with git, without a password.">
      {message ? <Notice tone="success">{message}</Notice> : null}
      <Section title="Your keys">
        <QueryState query={list}>{({ items: keys }) => keys.length === 0 ? (
          <EmptyState title="No SSH keys yet">Add the public key of each computer you work from, using the form below.</EmptyState>
        ) : (
          <ul className="item-list" aria-label="SSH keys">
            {keys.map((key) => (
              <li key={key.id} className="item">
                <div className="item-main">
                  <p className="item-title">{key.title}</p>
                  <p className="item-meta">
                    {key.keyType ? <span>{key.keyType}</span> : null}
                    {key.bits ? <span>{key.bits} bits</span> : null}
                    <span>Added {formatDate(key.createdAt)}</span>
                  </p>
                  <p className="mono fingerprint"><span className="visually-hidden">Fingerprint: </span>{key.fingerprint}</p>
                </div>
                <Button variant="quiet" onPress={() => setToDelete(key)} aria-label={`Delete key ${key.title}`}>Delete</Button>
              </li>
            ))}
          </ul>
        )}</QueryState>
      </Section>
      <Section title="Add a key">
        <AddKeyForm onAdded={(key) => { void refetch(); setMessage(`The key “${key.title}” was added.`); }} />
      </Section>
      <ConfirmDialog isOpen={!!toDelete} onClose={() => setToDelete(null)} title="Delete this SSH key?" confirmLabel="Delete key"
        onConfirm={async () => {
          if (!toDelete) return;
          await account.deleteSshKey(toDelete.id);
          await refetch();
          setMessage(`The key “${toDelete.title}” was deleted.`);
        }}>
        <p>The computer with the key <strong>{toDelete?.title}</strong> will no longer be able to push code. This cannot be undone.</p>
        <p className="mono fingerprint">{toDelete?.fingerprint}</p>
      </ConfirmDialog>
    </Page>
  );
}
