import { useTranslation } from 'react-i18next';
import { LinkButton } from '../../components/Button';
import { Page, Section } from '../../components/Layout';
import { Steps, type DoneFacts } from './shared';

/** Step 4: the client owns the App; where to manage billing and team, and how to remove the developer. */
export function Done({ facts }: { facts: DoneFacts }) {
  const { t } = useTranslation();
  const companyPage = `/companies/${encodeURIComponent(facts.companyId)}`;
  const values = { app: facts.appName, company: facts.companyName, inviter: facts.inviterName };
  return (
    <Page title={t('invitation.done.title', values)} width="narrow" lead={t('invitation.done.lead', values)}>
      <Steps current="done" />
      <div role="status" className="notice notice-success">
        <p className="notice-title">{t('invitation.done.allSet')}</p>
        <p>{t('invitation.done.belongs', values)}</p>
      </div>
      <Section title={t('invitation.done.billingTeam')}>
        <p>{t('invitation.done.billingTeamBody', values)}</p>
        <LinkButton to={companyPage} variant="primary">{t('invitation.done.goTo', values)}</LinkButton>
      </Section>
      <Section title={t('invitation.done.stopTitle', values)}>
        <p>{t('invitation.done.stopBody', values)}</p>
      </Section>
    </Page>
  );
}
