import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import type { InvitationLookup } from '../../api/models';
import { queries } from '../../api/queries';
import { Loading } from '../../components/Feedback';
import { Page } from '../../components/Layout';
import { QueryState } from '../../components/QueryState';
import { useLocation } from '../../router';
import { useSession } from '../../session';
import { Billing } from './Billing';
import { Consent } from './Consent';
import { Done } from './Done';
import { Identity } from './Identity';
import { LinkProblem } from './LinkProblem';
import { Offer } from './Offer';
import { goToStep, LanguageChoice, rememberedDone, signedInAsInvited, Steps, type ClientStep } from './shared';
import { TeamInvitation } from './Team';
import './invitation.css';

/** Step 2 for a client: create the account with the invited address, or sign in with it. */
function AccountStep({ info }: { info: InvitationLookup }) {
  const { t } = useTranslation();
  return (
    <Page title={t('invitation.account.title')} width="narrow"
      lead={t('invitation.account.lead', { app: info.app?.name ?? t('invitation.account.yourWebsite') })}>
      <Steps current="account" />
      <Identity info={info} onSignedIn={() => goToStep('billing')} />
    </Page>
  );
}

/**
 * /invitation: where the mailed /invite/<token> link lands. The token sits in an HttpOnly
 * cookie, so every call here sends `{}`. Each step of the client's path is `?step=…`.
 */
export function InvitationPage() {
  return <><InvitationSteps /><LanguageChoice /></>;
}

function InvitationSteps() {
  const { t } = useTranslation();
  const { me } = useSession();
  const { search } = useLocation();
  const step = (search.get('step') ?? 'offer') as ClientStep;
  const [declined, setDeclined] = useState(false);
  const done = step === 'done' ? rememberedDone() : null;
  const lookup = useQuery({ ...queries.invitation(), enabled: !done });

  if (done) return <Done facts={done} />;
  const frame = (content: ReactNode) => <Page title={t('invitation.title')} width="narrow">{content}</Page>;
  if (me === undefined) return frame(<Loading label={t('common.loading')} />);
  if (!lookup.isSuccess) {
    if (isApiError(lookup.error, 'invitation_invalid') || isApiError(lookup.error, 'not_found')) {
      return <LinkProblem info={null} superseded={isApiError(lookup.error) && lookup.error.reason === 'superseded'} />;
    }
    return frame(<QueryState query={lookup}>{() => null}</QueryState>);
  }
  const info = lookup.data;
  if (declined) return <LinkProblem info={{ ...info, state: 'declined' }} justDeclined />;
  if (info.state !== 'pending') return <LinkProblem info={info} />;
  if (info.kind === 'team') return <TeamInvitation info={info} onDeclined={() => setDeclined(true)} />;

  const onDeclined = () => setDeclined(true);
  // Later steps need the invited Account; without it the person is asked who they are first.
  if (step === 'offer' || !['account', 'billing', 'consent'].includes(step)) return <Offer info={info} onDeclined={onDeclined} />;
  if (step === 'account' || !signedInAsInvited(me, info)) return <AccountStep info={info} />;
  if (step === 'consent' && search.get('company')) return <Consent info={info} companyId={search.get('company')!} />;
  return <Billing info={info} />;
}
