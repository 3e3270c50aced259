import { useEffect, useState } from 'react';
import { LinkButton } from '../components/Button';
import { Notice } from '../components/Feedback';
import { Page } from '../components/Layout';
import { Link, replaceSearch, useLocation } from '../router';
import { useSession } from '../session';
import { AppsSection, CompaniesSection } from './lists';

/** Better Auth sends people back with ?error=… when a confirmation link is expired or used. */
function LinkProblem() {
  return (
    <Notice tone="warning" title="This confirmation link does not work any more">
      Links work once and for a limited time. <Link to="/check-mail">Send yourself a new link</Link>, or <Link to="/sign-in">sign in</Link> if your address is already confirmed.
    </Notice>
  );
}

function Welcome({ linkError }: { linkError: boolean }) {
  return (
    <Page title="Host your clients’ websites, then hand them over" width="narrow"
      lead="Build a site in a free trial App. When it is ready, invite your client: they pay for it and own it, and you keep working on it.">
      {linkError ? <LinkProblem /> : null}
      <div className="form-actions">
        <LinkButton to="/sign-up" variant="primary">Create an account</LinkButton>
        <LinkButton to="/sign-in">Sign in</LinkButton>
      </div>
    </Page>
  );
}

export function HomePage() {
  const { me } = useSession();
  const { search, flash } = useLocation();
  const [verified] = useState(() => search.get('verified') === '1' && !search.get('error'));
  const [linkError] = useState(() => !!search.get('error'));
  useEffect(() => { if (window.location.search) replaceSearch(''); }, []);
  if (me === null) return <Welcome linkError={linkError} />;
  if (!me) return null;
  const name = me.firstName ? `, ${me.firstName}` : '';
  return (
    <Page title={`Welcome${name}`} lead="Your Companies and Apps at a glance.">
      {verified ? (
        <Notice tone="success" title="Your e-mail address is confirmed">
          Thank you! Your account is ready and you are signed in.
        </Notice>
      ) : null}
      {linkError ? <LinkProblem /> : null}
      {flash ? <Notice tone="success">{flash}</Notice> : null}
      {!me.firstName || !me.lastName ? (
        <Notice tone="info">Please add your first and last name in <Link to="/profile">your profile</Link>: clients see it when you invite them.</Notice>
      ) : null}
      <CompaniesSection me={me} />
      <AppsSection me={me} />
    </Page>
  );
}

export function CompaniesPage() {
  const { me } = useSession();
  if (!me) return null;
  return (
    <Page title="Companies" lead="A Company owns Apps and pays for them. You can be a member of many.">
      <CompaniesSection me={me} />
    </Page>
  );
}

export function AppsPage() {
  const { me } = useSession();
  if (!me) return null;
  return (
    <Page title="Apps" lead="Every website you host is an App.">
      <AppsSection me={me} />
    </Page>
  );
}
