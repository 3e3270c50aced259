import type { DbOrTx } from '../../db/client.js';
import type { Config } from '../../config.js';
import { enqueueMail } from '../mail/outbox.js';

/**
 * Leaving, dismissing and role changes are told to all owners, the actor and the person
 * affected (SPEC 4.3), once each.
 */
export async function mailTeamChange(tx: DbOrTx, config: Config, at: Date, m: {
  recipients: string[]; affectedEmail: string; subject: string; toOthers: string; toAffected: string; companyId: string | null;
}) {
  for (const to of new Set(m.recipients)) {
    const affected = to === m.affectedEmail;
    await enqueueMail(tx, {
      kind: 'team-change', to, subject: m.subject,
      paragraphs: [affected ? m.toAffected : m.toOthers],
      ...(m.companyId && !affected ? { action: { label: 'See the team', url: `${config.publicUrl}/companies/${m.companyId}` } } : {}),
    }, at);
  }
}
