import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apps } from '../api/endpoints';
import { keys, queries } from '../api/queries';
import { Button } from '../components/Button';
import { EmptyState, Notice } from '../components/Feedback';
import { TextField } from '../components/fields';
import { Form, FormActions, invalid, useSubmit } from '../components/Form';
import { QueryState } from '../components/QueryState';
import { ENV_KEY } from './appShared';

interface Row { id: number; key: string; value: string }
let nextId = 1;
const toRows = (vars: Record<string, string>): Row[] => Object.entries(vars).map(([key, value]) => ({ id: nextId++, key, value }));

/**
 * Environment variables as rows of name and value. Errors from the server come as
 * `vars.<KEY>` paths and are shown next to the row with that name.
 */
export function EnvEditor({ appName }: { appName: string }) {
  // Rows are edited locally: the form starts from a fresh answer (nothing kept after leaving) and refetches do not redraw it.
  const env = useQuery({ ...queries.env(appName), gcTime: 0 });
  return <QueryState query={env}>{(data) => <EnvForm appName={appName} initial={data.vars} />}</QueryState>;
}

function EnvForm({ appName, initial }: { appName: string; initial: Record<string, string> }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [rows, setRows] = useState<Row[]>(() => toRows(initial));
  const [saved, setSaved] = useState(false);
  const { busy, error, run, fieldError } = useSubmit();

  const update = (id: number, patch: Partial<Row>) => { setSaved(false); setRows(rows.map((r) => (r.id === id ? { ...r, ...patch } : r))); };
  const submit = () => run(async () => {
    setSaved(false);
    const problems: { path: string; message: string }[] = [];
    const vars: Record<string, string> = {};
    for (const row of rows) {
      const key = row.key.trim();
      if (!key && !row.value) continue;
      if (!ENV_KEY.test(key)) problems.push({ path: `row.${row.id}`, message: t('env.badName') });
      else if (key in vars) problems.push({ path: `row.${row.id}`, message: t('env.twice') });
      vars[key] = row.value;
    }
    if (problems.length) throw invalid(problems);
    const result = await apps.setEnv(appName, vars);
    client.setQueryData(keys.env(appName), result);
    setRows(toRows(result.vars));
    setSaved(true);
  });
  const rowError = (row: Row) => fieldError(`row.${row.id}`) ?? fieldError(`vars.${row.key.trim()}`);

  return (
    <Form onSubmit={submit} error={error} busy={busy} label={t('env.title')}>
      <p className="hint">{t('env.hint')}</p>
      {saved ? <Notice tone="success">{t('env.saved')}</Notice> : null}
      {rows.length === 0 ? <EmptyState title={t('env.emptyTitle')}>{t('env.emptyBody')}</EmptyState> : (
        <ul className="item-list env-list" aria-label={t('env.title')}>
          {rows.map((row, index) => (
            <li key={row.id} className="env-row">
              <TextField label={t('env.name', { n: index + 1 })} name={`key-${row.id}`} value={row.key} isRequired spellCheck={false} autoComplete="off"
                className="field-mono" onChange={(key) => update(row.id, { key: key.toUpperCase() })} error={rowError(row)} />
              <TextField label={t('env.value', { n: index + 1 })} name={`value-${row.id}`} value={row.value} isRequired spellCheck={false} autoComplete="off"
                className="field-mono" onChange={(value) => update(row.id, { value })} />
              <Button variant="quiet" aria-label={t('env.removeLabel', { name: row.key || t('env.variable', { n: index + 1 }) })}
                onPress={() => { setSaved(false); setRows(rows.filter((r) => r.id !== row.id)); }}>{t('env.remove')}</Button>
            </li>
          ))}
        </ul>
      )}
      <FormActions>
        <Button onPress={() => { setSaved(false); setRows([...rows, { id: nextId++, key: '', value: '' }]); }}>{t('env.add')}</Button>
        <Button type="submit" variant="primary" busy={busy}>{t('env.save')}</Button>
      </FormActions>
    </Form>
  );
}
