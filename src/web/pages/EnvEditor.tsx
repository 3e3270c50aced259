import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
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
      if (!ENV_KEY.test(key)) problems.push({ path: `row.${row.id}`, message: 'Use capital letters, digits and underscores, not starting with a digit, like DATABASE_URL.' });
      else if (key in vars) problems.push({ path: `row.${row.id}`, message: 'This name is used twice.' });
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
    <Form onSubmit={submit} error={error} busy={busy} label="Environment variables">
      <p className="hint">Settings your code reads at run time, like API keys. Names use capital letters, digits and underscores. Saving restarts the App.</p>
      {saved ? <Notice tone="success">The environment variables are saved.</Notice> : null}
      {rows.length === 0 ? <EmptyState title="No environment variables yet">Add one with the button below.</EmptyState> : (
        <ul className="item-list env-list" aria-label="Environment variables">
          {rows.map((row, index) => (
            <li key={row.id} className="env-row">
              <TextField label={`Name ${index + 1}`} name={`key-${row.id}`} value={row.key} isRequired spellCheck={false} autoComplete="off"
                className="field-mono" onChange={(key) => update(row.id, { key: key.toUpperCase() })} error={rowError(row)} />
              <TextField label={`Value ${index + 1}`} name={`value-${row.id}`} value={row.value} isRequired spellCheck={false} autoComplete="off"
                className="field-mono" onChange={(value) => update(row.id, { value })} />
              <Button variant="quiet" aria-label={`Remove ${row.key || `variable ${index + 1}`}`}
                onPress={() => { setSaved(false); setRows(rows.filter((r) => r.id !== row.id)); }}>Remove</Button>
            </li>
          ))}
        </ul>
      )}
      <FormActions>
        <Button onPress={() => { setSaved(false); setRows([...rows, { id: nextId++, key: '', value: '' }]); }}>Add a variable</Button>
        <Button type="submit" variant="primary" busy={busy}>Save variables</Button>
      </FormActions>
    </Form>
  );
}
