import { Trans, useTranslation } from 'react-i18next';
import { Page } from '../components/Layout';
import { Link } from '../router';

export function NotFoundPage({ what = 'page' }: { what?: 'page' | 'app' | 'company' }) {
  const { t } = useTranslation();
  return (
    <Page title={t(`notFound.${what}`)} width="narrow">
      <p><Trans i18nKey="notFound.body" components={{ anchor: <Link to="/" /> }} /></p>
    </Page>
  );
}
