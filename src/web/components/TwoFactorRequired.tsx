import { useTranslation } from 'react-i18next';
import { LinkButton } from './Button';
import { Page } from './Layout';

/** What a member sees in a Company that requires two-step sign-in while theirs is off (SPEC 4.10). */
export function TwoFactorRequired() {
  const { t } = useTranslation();
  return (
    <Page title={t('security.required.title')} width="narrow">
      <p>{t('security.required.body')}</p>
      <LinkButton to="/profile/security" variant="primary">{t('security.required.action')}</LinkButton>
    </Page>
  );
}
