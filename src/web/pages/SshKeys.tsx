import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { FieldProblem } from '../api/client';
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
import { useFormat } from '../i18n';
import { canHaveSshKeys } from '../permissions';
import { useSession } from '../session';
import { NotFoundPage } from './NotFound';

function AddKeyForm({ onAdded }: { onAdded: (key: SshKey) => void }) {
  const { t } = useTranslation();
  const [title, setTitle] = useState('');
  const [publicKey, setPublicKey] = useState('');
  const { busy, error, run, fieldError } = useSubmit();
  const submit = () => run(async () => {
    const missing = ([
      !title.trim() && { path: 'title', message: t('sshKeys.missingName') },
      !publicKey.trim() && { path: 'publicKey', message: t('sshKeys.missingKey') },
    ] as (FieldProblem | false)[]).filter((e): e is FieldProblem => !!e);
    if (missing.length) throw invalid(missing);
    const key = await account.addSshKey(title.trim(), publicKey.trim());
    setTitle('');
    setPublicKey('');
    onAdded(key);
  });
  return (
    <Form onSubmit={submit} error={error} busy={busy} label={t('sshKeys.addForm')}>
      <TextField label={t('sshKeys.name')} name="title" value={title} onChange={setTitle} isRequired error={fieldError('title')}
        description={t('sshKeys.nameHint')} />
      <TextAreaField label={t('sshKeys.publicKey')} name="publicKey" value={publicKey} onChange={setPublicKey} isRequired rows={5}
        className="field-mono" error={fieldError('publicKey')}
        description={<Trans i18nKey="sshKeys.publicKeyHint" components={{ code: <code /> }} />} />
      <FormActions><Button type="submit" variant="primary" busy={busy}>{t('sshKeys.submit')}</Button></FormActions>
    </Form>
  );
}

export function SshKeysPage() {
  const { t } = useTranslation();
  const format = useFormat();
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
    <Page title={t('sshKeys.title')} lead={t('sshKeys.lead')}>
      {message ? <Notice tone="success">{message}</Notice> : null}
      <Section title={t('sshKeys.yours')}>
        <QueryState query={list}>{({ items: keys }) => keys.length === 0 ? (
          <EmptyState title={t('sshKeys.emptyTitle')}>{t('sshKeys.emptyBody')}</EmptyState>
        ) : (
          <ul className="item-list" aria-label={t('sshKeys.list')}>
            {keys.map((key) => (
              <li key={key.id} className="item">
                <div className="item-main">
                  <p className="item-title">{key.title}</p>
                  <p className="item-meta">
                    {key.keyType ? <span>{key.keyType}</span> : null}
                    {key.bits ? <span>{t('sshKeys.bits', { bits: key.bits })}</span> : null}
                    <span>{t('sshKeys.added', { date: format.date(key.createdAt) })}</span>
                  </p>
                  <p className="mono fingerprint"><span className="visually-hidden">{t('sshKeys.fingerprint')}</span>{key.fingerprint}</p>
                </div>
                <Button variant="quiet" onPress={() => setToDelete(key)} aria-label={t('sshKeys.deleteLabel', { title: key.title })}>{t('sshKeys.delete')}</Button>
              </li>
            ))}
          </ul>
        )}</QueryState>
      </Section>
      <Section title={t('sshKeys.add')}>
        <AddKeyForm onAdded={(key) => { void refetch(); setMessage(t('sshKeys.addedNotice', { title: key.title })); }} />
      </Section>
      <ConfirmDialog isOpen={!!toDelete} onClose={() => setToDelete(null)} title={t('sshKeys.confirmTitle')} confirmLabel={t('sshKeys.confirm')}
        onConfirm={async () => {
          if (!toDelete) return;
          await account.deleteSshKey(toDelete.id);
          await refetch();
          setMessage(t('sshKeys.deletedNotice', { title: toDelete.title }));
        }}>
        <p><Trans i18nKey="sshKeys.confirmBody" values={{ title: toDelete?.title ?? '' }} components={{ strong: <strong /> }} /></p>
        <p className="mono fingerprint">{toDelete?.fingerprint}</p>
      </ConfirmDialog>
    </Page>
  );
}
