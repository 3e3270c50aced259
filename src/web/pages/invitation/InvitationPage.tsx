import { useCallback, useEffect, useState } from 'react';
import { isApiError } from '../../api/client';
import { ErrorMessage, Loading } from '../../components/Feedback';
import { toApiError } from '../../components/Form';
import { Page } from '../../components/Layout';
import { useLocation } from '../../router';
import { useSession } from '../../session';
import { invitee } from '../../api/endpoints';
import type { InvitationLookup } from '../../api/models';
import { Billing } from './Billing';
import { Consent } from './Consent';
import { Done } from './Done';
import { Identity } from './Identity';
import { LinkProblem } from './LinkProblem';
import { Offer } from './Offer';
import { goToStep, rememberedDone, signedInAsInvited, Steps, type ClientStep } from './shared';
import { TeamInvitation } from './Team';
import './invitation.css';

type Lookup = { state: 'loading' } | { state: 'invalid' } | { state: 'error'; message: string } | { state: 'ready'; info: InvitationLookup };

/** Step 2 for a client: create the account with the invited address, or sign in with it. */
function AccountStep({ info }: { info: InvitationLookup }) {
  return (
    <Page title="Your account" width="narrow"
      lead={`With your account you manage ${info.app?.name ?? 'your website'}, its bills and who works on it.`}>
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
  const { me } = useSession();
  const { search } = useLocation();
  const step = (search.get('step') ?? 'offer') as ClientStep;
  const [lookup, setLookup] = useState<Lookup>({ state: 'loading' });
  const [declined, setDeclined] = useState(false);
  const done = step === 'done' ? rememberedDone() : null;

  const load = useCallback(async () => {
    try {
      setLookup({ state: 'ready', info: await invitee.lookup() });
    } catch (error) {
      if (isApiError(error, 'invitation_invalid') || isApiError(error, 'not_found')) setLookup({ state: 'invalid' });
      else setLookup({ state: 'error', message: toApiError(error).detail });
    }
  }, []);
  useEffect(() => { if (!done) void load(); }, [done, load]);

  if (done) return <Done facts={done} />;
  if (lookup.state === 'loading' || me === undefined) return <Page title="Your invitation" width="narrow"><Loading /></Page>;
  if (lookup.state === 'error') return <Page title="Your invitation" width="narrow"><ErrorMessage>{lookup.message}</ErrorMessage></Page>;
  if (lookup.state === 'invalid') return <LinkProblem info={null} />;
  const { info } = lookup;
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

