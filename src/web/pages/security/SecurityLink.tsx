import { useTranslation } from 'react-i18next';
import { Section } from '../../components/Layout';
import { Link } from '../../router';

/** The way from the profile to Profile → Security. */
export function SecurityLink() {
  const { t } = useTranslation();
  return (
    <Section title={t('security.title')}>
      <p><Link to="/profile/security">{t('security.profileLink')}</Link></p>
    </Section>
  );
}
