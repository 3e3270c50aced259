import { useState } from 'react';
import { apps } from '../api/endpoints';
import type { Region } from '../api/models';
import { Button } from '../components/Button';
import { RadioGroup, TextField } from '../components/fields';
import { Form, FormActions, invalid, useSubmit } from '../components/Form';
import { Page } from '../components/Layout';
import { navigate } from '../router';
import { appNameProblem, regionOptions } from './appShared';

export function CreateTrialAppPage() {
  const [name, setName] = useState('');
  const [region, setRegion] = useState<Region>('eu1');
  const { busy, error, run, fieldError } = useSubmit();

  const submit = () => run(async () => {
    const problem = appNameProblem(name.trim());
    if (problem) throw invalid([{ path: 'name', message: problem }]);
    const app = await apps.createTrial(name.trim(), region);
    navigate(`/apps/${encodeURIComponent(app.name)}`, { flash: `Your trial App “${app.name}” is ready.` });
  });

  const nameError = fieldError('name') ?? (error && ['app_name_taken'].includes(error.code) ? error.detail : undefined);
  return (
    <Page title="Create a free trial App" width="narrow"
      lead="Build a website for free for 7 days. When it is ready, hand it over to your client or book it for a Company. You can have one trial App at a time.">
      <Form onSubmit={submit} error={error} busy={busy} label="Create a free trial App">
        <TextField label="App name" name="name" value={name} onChange={(v) => setName(v.toLowerCase())} isRequired
          autoComplete="off" spellCheck={false} error={nameError}
          description="3 to 30 lowercase letters, digits and hyphens, like “bakery-shop”. It becomes part of the web address and cannot be changed later." />
        <RadioGroup legend="Where should it run?" name="region" value={region} onChange={(v) => setRegion(v as Region)}
          description="Pick the region closest to the website’s visitors." options={regionOptions()} />
        <FormActions><Button type="submit" variant="primary" busy={busy}>Create trial App</Button></FormActions>
      </Form>
    </Page>
  );
}
