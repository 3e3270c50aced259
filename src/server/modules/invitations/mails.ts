import type { WriteTarget } from '../../db/writeBatch.js';
import type { Config } from '../../config.js';
import { enqueueMail } from '../mail/outbox.js';
import type { Money } from '../plans/pricing.js';
import { formatDay, formatMoment, formatMoney, personName } from './wording.js';

type Person = { firstName: string; lastName: string; email: string };

export function invitationLink(config: Config, token: string): string {
  // Built from PUBLIC_URL only, never from the request's Host or X-Forwarded-Host.
  return `${config.publicUrl}/invite/${token}`;
}

export async function mailClientInvitation(tx: WriteTarget, config: Config, at: Date, m: {
  to: string; clientName: string | null; inviter: Person; appName: string; price: Money; otherPrice: Money;
  message: string | null; expiresAt: Date; token: string;
}) {
  const inviter = personName(m.inviter);
  await enqueueMail(tx, {
    kind: 'client-invitation',
    to: m.to,
    subject: `${inviter} invites you to take over your website "${m.appName}"`,
    paragraphs: [
      `Hello${m.clientName ? ` ${m.clientName}` : ''},`,
      `${inviter} (${m.inviter.email}) has built your website "${m.appName}" and invites you to take it over.`,
      ...(m.message ? [`${inviter} writes:\n"${m.message}"`] : []),
      `What will happen: you become the owner of "${m.appName}" and pay for it from the day after you accept: ` +
        `${formatMoney(m.price)} per month (or ${formatMoney(m.otherPrice)} if you pay in ${m.otherPrice.currency}), plus VAT where it applies. ` +
        `${inviter} keeps working on it for you as an admin of your company account. You can remove ${inviter} at any time.`,
      `You will need a few minutes and a payment card. This link works until ${formatMoment(m.expiresAt)}.`,
    ],
    action: { label: 'See the invitation', url: invitationLink(config, m.token) },
    footer: `If you do not know ${inviter}, you can ignore this mail; nothing happens without you.`,
  }, at);
}

export async function mailHandoverDone(tx: WriteTarget, config: Config, at: Date, m: {
  client: Person; inviter: Person; appName: string; companyName: string; companyId: string; price: Money; payFrom: Date;
  previousOwners: string[];
}) {
  const inviter = personName(m.inviter);
  const companyUrl = `${config.publicUrl}/companies/${m.companyId}`;
  await enqueueMail(tx, {
    kind: 'handover-confirmation', to: m.client.email,
    subject: `You now own "${m.appName}"`,
    paragraphs: [
      `Hello ${personName(m.client)},`,
      `You now own "${m.appName}" through your company "${m.companyName}". You pay ${formatMoney(m.price)} per month from ${formatDay(m.payFrom)}.`,
      `${inviter} is an admin of "${m.companyName}" and keeps working on your website. You can see and manage billing and your team, and remove ${inviter} later, on your company page.`,
    ],
    action: { label: 'Open your company', url: companyUrl },
  }, at);
  await enqueueMail(tx, {
    kind: 'handover-inviter', to: m.inviter.email,
    subject: `${personName(m.client)} took over "${m.appName}"; you are now admin of "${m.companyName}"`,
    paragraphs: [
      `Hello ${inviter},`,
      `${personName(m.client)} accepted your invitation: "${m.appName}" now belongs to "${m.companyName}", which pays for it from ${formatDay(m.payFrom)}.`,
      `You are now admin of "${m.companyName}": you can keep working on the App, scale it and book more Apps on its billing contacts. You cannot see the company's payment details.`,
    ],
    action: { label: 'Open the company', url: companyUrl },
  }, at);
  for (const owner of m.previousOwners) {
    await enqueueMail(tx, {
      kind: 'handover-previous-owner', to: owner,
      subject: `"${m.appName}" has been handed over to ${personName(m.client)}`,
      paragraphs: [
        `"${m.appName}" has been handed over to "${m.companyName}" by ${inviter}. Your company pays for it through ${formatDay(at)}; "${m.companyName}" pays from the next day.`,
      ],
    }, at);
  }
}

export async function mailNewInvitationRequested(tx: WriteTarget, config: Config, at: Date, m: {
  inviter: Person; email: string; what: string; manageUrl: string;
}) {
  await enqueueMail(tx, {
    kind: 'invitation-new-requested', to: m.inviter.email,
    subject: `${m.email} asks for a new invitation`,
    paragraphs: [
      `Hello ${personName(m.inviter)},`,
      `${m.email} opened your invitation to ${m.what}, but the link no longer works, and asks you for a new one.`,
      'You can send a new link from the invitation list with "Resend".',
    ],
    action: { label: 'Open the invitations', url: `${config.publicUrl}${m.manageUrl}` },
  }, at);
}

export async function mailInvitationDeclined(tx: WriteTarget, at: Date, m: { inviter: Person; email: string; what: string }) {
  await enqueueMail(tx, {
    kind: 'invitation-declined', to: m.inviter.email,
    subject: `${m.email} declined your invitation`,
    paragraphs: [`Hello ${personName(m.inviter)},`, `${m.email} declined your invitation to ${m.what}.`],
  }, at);
}

const ROLE_WORDS: Record<string, string> = {
  owner: 'an owner (full control, including billing and the team)',
  admin: 'an admin (works on all Apps, books Apps, invites collaborators)',
  collaborator: 'a collaborator (works on the Apps named below)',
  accountant: 'an accountant (sees billing details and invoices)',
};

export async function mailTeamInvitation(tx: WriteTarget, config: Config, at: Date, m: {
  to: string; inviter: Person; companyName: string; role: string; appNames: string[]; expiresAt: Date; token: string;
}) {
  const inviter = personName(m.inviter);
  await enqueueMail(tx, {
    kind: 'team-invitation', to: m.to,
    subject: `${inviter} invites you to join "${m.companyName}" on the Dashboard`,
    paragraphs: [
      'Hello,',
      `${inviter} (${m.inviter.email}) invites you to join "${m.companyName}" as ${ROLE_WORDS[m.role] ?? m.role}.`,
      ...(m.appNames.length ? [`Apps: ${m.appNames.join(', ')}`] : []),
      `This link works until ${formatMoment(m.expiresAt)}. Sign in with this e-mail address to accept, or create an account from the link.`,
    ],
    action: { label: 'See the invitation', url: invitationLink(config, m.token) },
    footer: `If you do not know ${inviter}, you can ignore this mail.`,
  }, at);
}

export async function mailTeamJoined(tx: WriteTarget, config: Config, at: Date, m: { to: string[]; member: Person; companyName: string; companyId: string; role: string }) {
  for (const to of new Set(m.to)) {
    await enqueueMail(tx, {
      kind: 'team-joined', to,
      subject: `${personName(m.member)} joined "${m.companyName}"`,
      paragraphs: [`${personName(m.member)} (${m.member.email}) accepted the invitation and joined "${m.companyName}" as ${m.role}.`],
      action: { label: 'See the team', url: `${config.publicUrl}/companies/${m.companyId}` },
    }, at);
  }
}
