import type { Config } from '../../config.js';
import type { WriteTarget } from '../../db/writeBatch.js';
import { createTranslator, type Language } from '../../../shared/i18n/index.js';
import { formatDay, formatMoment, formatMoney, personName } from '../invitations/wording.js';
import { enqueueMail } from '../mail/outbox.js';
import type { MonthlyCost } from './price.js';
import type { Person } from './repo.js';

type Named = { id: string; firstName: string; lastName: string; email: string };

export interface CostChange {
  kind: 'scale' | 'book';
  appName: string;
  company: { id: string; name: string };
  /** Who made the change, or asked for it when an owner approved it. */
  actor: Named;
  approver?: Named | null;
  before: MonthlyCost;
  after: MonthlyCost;
  /** The first day the new monthly cost is billed. */
  billedFrom: Date;
}

function amounts(language: Language, key: 'cost.mail.amounts' | 'cost.mail.amountsAsked', app: string, before: MonthlyCost, after: MonthlyCost): string {
  return createTranslator(language)(key, {
    app,
    beforeNet: formatMoney(before.net, language), beforeGross: formatMoney(before.gross, language),
    afterNet: formatMoney(after.net, language), afterGross: formatMoney(after.gross, language),
  });
}

const companyLink = (config: Config, companyId: string) => `${config.publicUrl}/companies/${encodeURIComponent(companyId)}`;

/**
 * SPEC 4.12: a change that raises the monthly cost is mailed to every owner of the Company
 * except the people who made it (the actor, and the owner who approved it), in each owner's
 * language, in the transaction of the change (the outbox sends it once, after commit).
 */
export async function mailCostIncrease(tx: WriteTarget, config: Config, at: Date, owners: Person[], change: CostChange): Promise<number> {
  const skip = new Set([change.actor.id, change.approver?.id].filter(Boolean));
  let sent = 0;
  for (const owner of owners) {
    if (skip.has(owner.id)) continue;
    const language = owner.language;
    const t = createTranslator(language);
    const actor = personName(change.actor, language);
    const words = { actor, app: change.appName, company: change.company.name, day: formatDay(change.billedFrom, language) };
    await enqueueMail(tx, {
      kind: 'cost-increase', to: owner.email, language,
      subject: change.kind === 'scale' ? t('cost.mail.increase.subjectScale', words) : t('cost.mail.increase.subjectBook', words),
      paragraphs: [
        t('cost.mail.hello', { name: personName(owner, language) }),
        change.kind === 'scale' ? t('cost.mail.increase.scale', words) : t('cost.mail.increase.book', words),
        amounts(language, 'cost.mail.amounts', change.appName, change.before, change.after),
        ...(change.approver ? [t('cost.mail.increase.approved', { actor, approver: personName(change.approver, language) })] : []),
        t('cost.mail.increase.hint', { actor }),
      ],
      action: { label: t('cost.mail.action'), url: companyLink(config, change.company.id) },
    }, at);
    sent += 1;
  }
  return sent;
}

/** A change waits for approval: every owner hears what is asked, with the amounts and the expiry. */
export async function mailCostRequested(tx: WriteTarget, config: Config, at: Date, owners: Person[], request: {
  kind: 'scale' | 'book'; appName: string; company: { id: string; name: string }; actor: Named; before: MonthlyCost; after: MonthlyCost; expiresAt: Date;
}): Promise<void> {
  for (const owner of owners) {
    if (owner.id === request.actor.id) continue;
    const language = owner.language;
    const t = createTranslator(language);
    const words = { actor: personName(request.actor, language), app: request.appName, company: request.company.name };
    await enqueueMail(tx, {
      kind: 'cost-request', to: owner.email, language,
      subject: t('cost.mail.request.subject', words),
      paragraphs: [
        t('cost.mail.hello', { name: personName(owner, language) }),
        request.kind === 'scale' ? t('cost.mail.request.scale', words) : t('cost.mail.request.book', words),
        amounts(language, 'cost.mail.amountsAsked', request.appName, request.before, request.after),
        t('cost.mail.request.wait', { until: formatMoment(request.expiresAt, language, owner.timeZone) }),
      ],
      action: { label: t('cost.mail.request.action'), url: companyLink(config, request.company.id) },
    }, at);
  }
}

/** The admin who asked hears the outcome: approved, declined, or expired. */
export async function mailCostOutcome(tx: WriteTarget, config: Config, at: Date, to: Person, outcome: {
  state: 'approved' | 'declined' | 'expired'; kind: 'scale' | 'book'; appName: string; company: { id: string; name: string }; owner: Named | null;
}): Promise<void> {
  const language = to.language;
  const t = createTranslator(language);
  const words = { app: outcome.appName, company: outcome.company.name, owner: outcome.owner ? personName(outcome.owner, language) : '' };
  const subject = outcome.state === 'approved' ? t('cost.mail.outcome.subjectApproved', words)
    : outcome.state === 'declined' ? t('cost.mail.outcome.subjectDeclined', words) : t('cost.mail.outcome.subjectExpired', words);
  const body = outcome.state === 'approved'
    ? (outcome.kind === 'scale' ? t('cost.mail.outcome.approvedScale', words) : t('cost.mail.outcome.approvedBook', words))
    : outcome.state === 'declined' ? t('cost.mail.outcome.declined', words) : t('cost.mail.outcome.expired', words);
  await enqueueMail(tx, {
    kind: `cost-request-${outcome.state}`, to: to.email, language, subject,
    paragraphs: [t('cost.mail.hello', { name: personName(to, language) }), body],
    action: { label: t('cost.mail.outcome.action'), url: companyLink(config, outcome.company.id) },
  }, at);
}
