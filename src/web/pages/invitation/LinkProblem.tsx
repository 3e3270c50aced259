import { useState } from 'react';
import { LinkButton, Button } from '../../components/Button';
import { Notice } from '../../components/Feedback';
import { FormAlert, useSubmit } from '../../components/Form';
import { Page } from '../../components/Layout';
import { useSession } from '../../session';
import { invitee } from '../../api/endpoints';
import { personName } from '../../format';
import type { InvitationLookup } from '../../api/models';

const TITLE: Record<string, string> = {
  expired: 'This invitation has expired',
  revoked: 'This invitation was withdrawn',
  declined: 'This invitation was declined',
  accepted: 'This invitation has already been used',
};

/**
 * A link that no longer works: who invited (when known) and "Ask for a new invitation",
 * which mails the inviter. Unknown links cannot name anyone.
 */
export function LinkProblem({ info, justDeclined }: { info: InvitationLookup | null; justDeclined?: boolean }) {
  const { me } = useSession();
  const [asked, setAsked] = useState(false);
  const { busy, error, run } = useSubmit();
  const ask = () => run(async () => { await invitee.requestNew(); setAsked(true); });

  if (!info) {
    return (
      <Page title="This invitation link does not work" width="narrow">
        <p>Please check that you opened the whole link from the e-mail. Links work only once, and only until the date in the e-mail.</p>
        <p>If it still does not work, ask the person who invited you to send a new invitation.</p>
        {me ? <LinkButton to="/">Go to your Dashboard</LinkButton> : null}
      </Page>
    );
  }
  const inviter = personName(info.inviter);
  const what = info.kind === 'client' ? `take over ${info.app?.name ?? 'a website'}` : `join ${info.company?.name ?? 'a company'}`;
  if (info.state === 'accepted') {
    return (
      <Page title={TITLE.accepted} width="narrow">
        <p>{inviter} invited you to {what}, and the invitation has been accepted. Each link works only once.</p>
        <p>If you accepted it, sign in to see it. Otherwise ask {inviter} for a new invitation.</p>
        {me ? <LinkButton to="/" variant="primary">Go to your Dashboard</LinkButton> : <LinkButton to="/sign-in" variant="primary">Sign in</LinkButton>}
      </Page>
    );
  }
  const title = justDeclined ? 'You declined the invitation' : TITLE[info.state] ?? 'This invitation no longer works';
  return (
    <Page title={title} width="narrow">
      {justDeclined
        ? <p>{inviter} has been told that you do not want to {what}. Nothing else has changed.</p>
        : <p>{inviter} invited you to {what}, but this link no longer works.</p>}
      {asked ? (
        <Notice tone="success" title="Request sent">
          We have asked {inviter} to send you a new invitation. If they do, it will arrive at {info.email}.
        </Notice>
      ) : (
        <>
          <p>{justDeclined ? 'Changed your mind? ' : ''}Ask {inviter} to send you a new invitation. We will e-mail them for you.</p>
          <FormAlert error={error} focus />
          <div className="form-actions">
            <Button variant="primary" busy={busy} onPress={() => void ask()}>Ask for a new invitation</Button>
          </div>
        </>
      )}
    </Page>
  );
}
