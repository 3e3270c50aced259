import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { invitee } from '../../api/endpoints';
import type { InvitationLookup } from '../../api/models';
import { Button } from '../../components/Button';
import { Notice } from '../../components/Feedback';
import { FormAlert, useSubmit } from '../../components/Form';
import { personName } from '../../format';

/**
 * The invitation ran out while the form was being filled in (issue 17): nothing happened, the
 * entries stay, and one button asks the inviter for a new link.
 */
export function ExpiredWhileFilling({ info }: { info: InvitationLookup }) {
  const { t } = useTranslation();
  const inviter = personName(info.inviter);
  const [asked, setAsked] = useState(false);
  const { busy, error, run } = useSubmit();
  const ask = () => run(async () => { await invitee.requestNew(); setAsked(true); });
  if (asked) return <Notice tone="success">{t('client.billingStep.askedNew', { inviter })}</Notice>;
  return (
    <div role="alert" className="alert alert-warning">
      <p className="alert-title">{t('client.billingStep.expiredTitle')}</p>
      <p>{t('client.billingStep.expiredBody', { inviter })}</p>
      <FormAlert error={error} focus />
      <Button variant="primary" busy={busy} onPress={() => void ask()}>{t('client.billingStep.askNew')}</Button>
    </div>
  );
}
