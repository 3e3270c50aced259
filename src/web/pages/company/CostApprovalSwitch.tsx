import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Company } from '../../api/models';
import { keys } from '../../api/queries';
import { ErrorMessage, Notice } from '../../components/Feedback';
import { Switch } from '../../components/fields';
import { useSubmit } from '../../components/Form';
import { Section } from '../../components/Layout';
import { can } from '../../permissions';
import { costRequests } from './costsApi';

/**
 * Issue 17 (SPEC 4.12): the owner's switch "Ask me before the monthly cost goes up". Shown to
 * owners only (the permission table's `company.costApproval`); the server checks it again.
 * Mount it in the Company page's settings, e.g. beside the transfers switch:
 * `<CostApprovalSwitch company={company} />`.
 */
export function CostApprovalSwitch({ company, onChange }: { company: Company; onChange?: (company: Company) => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const save = useSubmit();
  const [message, setMessage] = useState<string | null>(null);
  if (!can(company.role, 'company.costApproval')) return null;
  const toggle = (value: boolean) => void save.run(async () => {
    setMessage(null);
    const next = await costRequests.setRequireApproval(company.id, value);
    client.setQueryData(keys.company(company.id), next);
    void client.invalidateQueries({ queryKey: keys.activity(company.id) });
    onChange?.(next);
    setMessage(value ? t('cost.web.switch.on') : t('cost.web.switch.off'));
  });
  return (
    <Section title={t('cost.web.switch.title')}>
      <p className="hint">{t('cost.web.switch.help')}</p>
      {save.error ? <ErrorMessage>{save.error.detail}</ErrorMessage> : null}
      <Switch isSelected={company.requireCostApproval} onChange={toggle} isDisabled={save.busy}>{t('cost.web.switch.label')}</Switch>
      {message ? <Notice tone="success">{message}</Notice> : null}
    </Section>
  );
}
