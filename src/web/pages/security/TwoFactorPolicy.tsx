import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { companies } from '../../api/endpoints';
import type { Company } from '../../api/models';
import { ErrorMessage, Notice } from '../../components/Feedback';
import { Switch } from '../../components/fields';
import { useSubmit } from '../../components/Form';
import { Section } from '../../components/Layout';
import { can } from '../../permissions';
import { Link } from '../../router';

/** Owner setting: "Require two-step sign-in for all members" (SPEC 4.10). */
export function TwoFactorPolicy({ company, onChange }: { company: Company; onChange: (company: Company) => void }) {
  const { t } = useTranslation();
  const { busy, error, run } = useSubmit();
  const [message, setMessage] = useState<string | null>(null);
  if (!can(company.role, 'company.requireTwoFactor')) return null;
  const toggle = (value: boolean) => void run(async () => {
    setMessage(null);
    onChange(await companies.update(company.id, { requireTwoFactor: value }));
    setMessage(value ? t('security.policy.on') : t('security.policy.off'));
  });
  return (
    <Section title={t('security.policy.title')}>
      <p className="hint">{t('security.policy.hint')}</p>
      {error ? <ErrorMessage><p>{error.detail}</p>{error.code === 'two_factor_required' ? <p><Link to="/profile/security">{t('security.required.action')}</Link></p> : null}</ErrorMessage> : null}
      <Switch isSelected={company.requireTwoFactor} onChange={toggle} isDisabled={busy}>{t('security.policy.label')}</Switch>
      {message ? <Notice tone="success">{message}</Notice> : null}
    </Section>
  );
}
