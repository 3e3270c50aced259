import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apps } from '../../api/endpoints';
import type { App, Plan, PlanCatalogue } from '../../api/models';
import { keys } from '../../api/queries';
import { Button } from '../../components/Button';
import { Notice } from '../../components/Feedback';
import { Form, FormActions, useSubmit } from '../../components/Form';
import { PlanPicker } from '../../components/PlanPicker';
import { costKeys, isCostRequestAnswer } from '../company/costsApi';

/**
 * Changing an App's plan (SPEC 3 "Scale an App"), with issue 17's answer: in a Company whose
 * owners want to be asked, an admin's dearer plan answers 202 {costRequest}; the form then
 * says "Sent to the owner for approval" and the plan stays as it is. Replaces AppPage's own
 * ScaleForm: `<ScaleForm app={app} catalogue={catalogue} onSaved={setApp} />`.
 */
export function ScaleForm({ app, catalogue, onSaved }: { app: App; catalogue: PlanCatalogue; onSaved: (app: App) => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [plan, setPlan] = useState<Plan>(app.plan);
  const [outcome, setOutcome] = useState<'changed' | 'sent' | null>(null);
  const { busy, error, run, fieldError } = useSubmit();
  const changed = JSON.stringify(plan) !== JSON.stringify(app.plan);
  const submit = () => run(async () => {
    setOutcome(null);
    const answer = await apps.changePlan(app.name, plan);
    if (isCostRequestAnswer(answer)) {
      setPlan(app.plan);
      setOutcome('sent');
      if (app.company) void client.invalidateQueries({ queryKey: costKeys.requests(app.company.id) });
      return;
    }
    onSaved(answer);
    setPlan(answer.plan);
    setOutcome('changed');
    if (app.company) void client.invalidateQueries({ queryKey: keys.activity(app.company.id) });
  });
  return (
    <Form onSubmit={submit} error={error} busy={busy} label={t('app.changePlanForm')}>
      {outcome === 'changed' ? <Notice tone="success">{t('app.planChanged')}</Notice> : null}
      {outcome === 'sent' ? <Notice tone="info">{t('cost.web.sentForApproval')}</Notice> : null}
      <PlanPicker catalogue={catalogue} value={plan} onChange={setPlan} currency={app.monthlyPrice.currency} error={fieldError('plan')} />
      <FormActions><Button type="submit" variant="primary" busy={busy} isDisabled={!changed}>{t('app.changePlan')}</Button></FormActions>
    </Form>
  );
}
