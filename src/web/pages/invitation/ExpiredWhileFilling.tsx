import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError, type ApiError } from '../../api/client';
import { invitee } from '../../api/endpoints';
import type { InvitationLookup } from '../../api/models';
import { Button } from '../../components/Button';
import { Notice } from '../../components/Feedback';
import { FormAlert, useSubmit } from '../../components/Form';
import { personName } from '../../format';

/** Why an invitation stopped working while the billing form was being filled in. */
export type StoppedReason = 'expired' | 'revoked' | 'declined' | 'superseded' | 'other';

/**
 * The accept answer only says "no longer open"; the lookup says why (expired, withdrawn), and a
 * link replaced by "Resend" answers with reason `superseded`. Asked once, after the refusal.
 */
export async function whyItStopped(error: ApiError): Promise<StoppedReason> {
  if (error.reason === 'superseded') return 'superseded';
  try {
    const { state } = await invitee.lookup();
    return state === 'expired' || state === 'revoked' || state === 'declined' ? state : 'other';
  } catch (caught) {
    return isApiError(caught, 'invitation_invalid') && caught.reason === 'superseded' ? 'superseded' : 'other';
  }
}

/**
 * The invitation stopped working while the form was being filled in (issue 17): nothing
 * happened, the entries stay, the page says why, and gives the way on: a newer mail when the
 * link was replaced, else one button that asks the inviter for a new link.
 */
export function ExpiredWhileFilling({ info, reason = 'expired' }: { info: InvitationLookup; reason?: StoppedReason }) {
  const { t } = useTranslation();
  const inviter = personName(info.inviter);
  const [asked, setAsked] = useState(false);
  const { busy, error, run } = useSubmit();
  const ask = () => run(async () => { await invitee.requestNew(); setAsked(true); });
  if (asked) return <Notice tone="success">{t('client.billingStep.askedNew', { inviter })}</Notice>;
  if (reason === 'superseded') {
    return (
      <div role="alert" className="alert alert-warning">
        <p className="alert-title">{t('client.billingStep.supersededTitle')}</p>
        <p>{t('client.billingStep.supersededBody', { inviter })}</p>
      </div>
    );
  }
  return (
    <div role="alert" className="alert alert-warning">
      <p className="alert-title">{t(`client.billingStep.stoppedTitle.${reason}`)}</p>
      <p>{t('client.billingStep.expiredBody', { inviter })}</p>
      <FormAlert error={error} focus />
      <Button variant="primary" busy={busy} onPress={() => void ask()}>{t('client.billingStep.askNew')}</Button>
    </div>
  );
}
