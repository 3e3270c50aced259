import { useState } from 'react';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/Dialog';
import { Page, Section } from '../../components/Layout';
import { formatMoney } from '../../format';
import { useSession } from '../../session';
import { invitee } from '../../api/endpoints';
import { personName } from '../../format';
import type { InvitationLookup } from '../../api/models';
import { goToStep, signedInAsInvited, Steps, tomorrowText, untilText } from './shared';

/** Step 1: what is offered, what it costs and what will happen. No login needed to read it. */
export function Offer({ info, onDeclined }: { info: InvitationLookup; onDeclined: () => void }) {
  const { me } = useSession();
  const [declining, setDeclining] = useState(false);
  const inviter = personName(info.inviter);
  const app = info.app?.name ?? 'the website';
  const price = info.monthlyPrice ? formatMoney(info.monthlyPrice) : '';
  const other = info.monthlyPrices && info.monthlyPrice
    ? Object.values(info.monthlyPrices).find((m) => m.currency !== info.monthlyPrice!.currency) : undefined;
  const next = () => goToStep(signedInAsInvited(me, info) ? 'billing' : 'account');
  return (
    <Page title={`${inviter} invites you to take over ${app}`} width="narrow"
      lead={info.clientName ? `Hello ${info.clientName}, your website is ready to be handed over to you.` : 'Your website is ready to be handed over to you.'}>
      <Steps current="offer" />
      {info.message ? (
        <figure className="invite-message">
          <blockquote><p>{info.message}</p></blockquote>
          <figcaption>— {inviter}</figcaption>
        </figure>
      ) : null}
      <Section title="The price">
        <p className="offer-price"><strong className="price">{price}</strong> a month, excluding VAT</p>
        {other ? <p className="hint">Or {formatMoney(other)} a month if you choose to pay in {other.currency === 'USD' ? 'US dollars' : 'euros'}.</p> : null}
        <p>You pay from {tomorrowText()}, the day after you accept.</p>
      </Section>
      <Section title="What will happen">
        <ul className="plain-list">
          <li>You become the owner of <strong>{app}</strong>. It belongs to your company, and the bills go to you.</li>
          <li>{inviter} keeps working on it for you, as admin of your company.</li>
          <li>You decide who works on it: you can remove {inviter} later on your company’s page.</li>
          <li>{inviter} never sees your payment details.</li>
        </ul>
      </Section>
      <p className="hint">This invitation is for <strong>{info.email}</strong> and works until {untilText(info.expiresAt)}.</p>
      <div className="form-actions offer-actions">
        <Button variant="primary" onPress={next}>Accept and continue</Button>
        <Button onPress={() => setDeclining(true)}>Decline</Button>
      </div>
      <ConfirmDialog isOpen={declining} onClose={() => setDeclining(false)} title="Decline this invitation?" confirmLabel="Decline"
        onConfirm={async () => { await invitee.decline(); onDeclined(); }}>
        <p>{inviter} will be told that you said no. The link stops working. You can ask for a new invitation later.</p>
      </ConfirmDialog>
    </Page>
  );
}
