import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apps } from '../api/endpoints';
import type { Region } from '../api/models';
import { Button } from '../components/Button';
import { RadioGroup, TextField } from '../components/fields';
import { Form, FormActions, invalid, useSubmit } from '../components/Form';
import { Page } from '../components/Layout';
import { navigate } from '../router';
import { appNameProblem, regionOptions } from './appShared';

export function CreateTrialAppPage() {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [region, setRegion] = useState<Region>('eu1');
  const { busy, error, run, fieldError } = useSubmit();

  const submit = () => run(async () => {
    const problem = appNameProblem(name.trim());
    if (problem) throw invalid([{ path: 'name', message: problem }]);
    const app = await apps.createTrial(name.trim(), region);
    navigate(`/apps/${encodeURIComponent(app.name)}`, { flash: t('trialApp.done', { name: app.name }) });
  });

  const nameError = fieldError('name') ?? (error && ['app_name_taken'].includes(error.code) ? error.detail : undefined);
  return (
    <Page title={t('trialApp.title')} width="narrow" lead={t('trialApp.lead')}>
      <Form onSubmit={submit} error={error} busy={busy} label={t('trialApp.title')}>
        <TextField label={t('trialApp.name')} name="name" value={name} onChange={(v) => setName(v.toLowerCase())} isRequired
          autoComplete="off" spellCheck={false} error={nameError}
          description={t('trialApp.nameHint')} />
        <RadioGroup legend={t('trialApp.regionLegend')} name="region" value={region} onChange={(v) => setRegion(v as Region)}
          description={t('trialApp.regionHint')} options={regionOptions()} />
        <FormActions><Button type="submit" variant="primary" busy={busy}>{t('trialApp.submit')}</Button></FormActions>
      </Form>
    </Page>
  );
}
