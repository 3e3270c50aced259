import { useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { LinkButton } from '../components/Button';
import { Notice } from '../components/Feedback';
import { Page } from '../components/Layout';
import { Link, replaceSearch, useLocation } from '../router';
import { useSession } from '../session';
import { AppsSection, CompaniesSection } from './lists';

/** Better Auth sends people back with ?error=… when a confirmation link is expired or used. */
function LinkProblem() {
  const { t } = useTranslation();
  return (
    <Notice tone="warning" title={t('home.linkTitle')}>
      <Trans i18nKey="home.linkBody" components={{ mail: <Link to="/check-mail" />, signin: <Link to="/sign-in" /> }} />
    </Notice>
  );
}

function Welcome({ linkError }: { linkError: boolean }) {
  const { t } = useTranslation();
  return (
    <Page title={t('home.welcomeTitle')} width="narrow" lead={t('home.welcomeLead')}>
      {linkError ? <LinkProblem /> : null}
      <div className="form-actions">
        <LinkButton to="/sign-up" variant="primary">{t('home.signUp')}</LinkButton>
        <LinkButton to="/sign-in">{t('home.signIn')}</LinkButton>
      </div>
    </Page>
  );
}

export function HomePage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const { search, flash } = useLocation();
  const [verified] = useState(() => search.get('verified') === '1' && !search.get('error'));
  const [linkError] = useState(() => !!search.get('error'));
  useEffect(() => { if (window.location.search) replaceSearch(''); }, []);
  if (me === null) return <Welcome linkError={linkError} />;
  if (!me) return null;
  return (
    <Page title={me.firstName ? t('home.titleNamed', { name: me.firstName }) : t('home.title')} lead={t('home.lead')}>
      {verified ? <Notice tone="success" title={t('home.verifiedTitle')}>{t('home.verified')}</Notice> : null}
      {linkError ? <LinkProblem /> : null}
      {flash ? <Notice tone="success">{flash}</Notice> : null}
      {!me.firstName || !me.lastName ? (
        <Notice tone="info"><Trans i18nKey="home.addName" components={{ anchor: <Link to="/profile" /> }} /></Notice>
      ) : null}
      <CompaniesSection me={me} />
      <AppsSection me={me} />
    </Page>
  );
}

export function CompaniesPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  if (!me) return null;
  return (
    <Page title={t('home.companiesTitle')} lead={t('home.companiesLead')}>
      <CompaniesSection me={me} />
    </Page>
  );
}

export function AppsPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  if (!me) return null;
  return (
    <Page title={t('home.appsTitle')} lead={t('home.appsLead')}>
      <AppsSection me={me} />
    </Page>
  );
}
