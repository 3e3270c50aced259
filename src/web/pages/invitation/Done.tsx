import { LinkButton } from '../../components/Button';
import { Page, Section } from '../../components/Layout';
import { Steps, type DoneFacts } from './shared';

/** Step 4: the client owns the App; where to manage billing and team, and how to remove the developer. */
export function Done({ facts }: { facts: DoneFacts }) {
  const companyPage = `/companies/${encodeURIComponent(facts.companyId)}`;
  return (
    <Page title={`You own ${facts.appName}`} width="narrow" lead={`${facts.inviterName} is admin of ${facts.companyName}.`}>
      <Steps current="done" />
      <div role="status" className="notice notice-success">
        <p className="notice-title">All set</p>
        <p>{facts.appName} now belongs to {facts.companyName}. We have sent you a confirmation by e-mail.</p>
      </div>
      <Section title="Billing and team">
        <p>Your billing details, invoices and the people who work on your website are on the page of {facts.companyName}.</p>
        <LinkButton to={companyPage} variant="primary">Go to {facts.companyName}</LinkButton>
      </Section>
      <Section title={`If you want to stop working with ${facts.inviterName}`}>
        <p>Open {facts.companyName}, find {facts.inviterName} under Members and remove them. They lose access at once.
          Your website keeps running and stays yours.</p>
      </Section>
    </Page>
  );
}
