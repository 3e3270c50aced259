import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../../api/models';
import { LANGUAGES, isLanguage } from '../../../shared/i18n/index';
import { setLanguage } from '../../i18n';
import { navigate } from '../../router';
import type { AcceptSummary, InvitationLookup } from '../../api/models';

export type ClientStep = 'offer' | 'account' | 'billing' | 'consent' | 'done';

/** Moves to a step of the invitation page; each step is its own history entry (Back works). */
export function goToStep(step: ClientStep, extra: Record<string, string> = {}) {
  const query = new URLSearchParams(step === 'offer' ? extra : { step, ...extra }).toString();
  navigate(`/invitation${query ? `?${query}` : ''}`);
}

/** Same comparison as the server for the common case (case-insensitive, NFC); the server decides. */
export function sameEmail(a: string, b: string): boolean {
  return a.normalize('NFC').trim().toLowerCase() === b.normalize('NFC').trim().toLowerCase();
}

export function signedInAsInvited(me: Me | null | undefined, info: InvitationLookup): boolean {
  return !!me && sameEmail(me.email, info.email);
}

/** The day after today (local calendar), when the client's billing starts. */
export function tomorrow(now = new Date()): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
}

const DONE_KEY = 'dashboard.handoverDone';

export interface DoneFacts { appName: string; companyId: string; companyName: string; inviterName: string; summary?: AcceptSummary }

/** The accept answer is kept for this tab, so the done screen survives a reload (the invitation cookie is spent). */
export function rememberDone(facts: DoneFacts) {
  try { sessionStorage.setItem(DONE_KEY, JSON.stringify(facts)); } catch { /* storage may be blocked */ }
}

export function rememberedDone(): DoneFacts | null {
  try {
    const raw = sessionStorage.getItem(DONE_KEY);
    return raw ? (JSON.parse(raw) as DoneFacts) : null;
  } catch {
    return null;
  }
}

const CLIENT_STEPS = ['offer', 'account', 'billing', 'done'] as const;

/** "Step 2 of 4" as an ordered list; the current step carries aria-current. */
export function Steps({ current }: { current: ClientStep }) {
  const { t } = useTranslation();
  const index = CLIENT_STEPS.findIndex((id) => id === (current === 'consent' ? 'billing' : current));
  return (
    <ol className="steps" aria-label={t('invitation.steps.label', { current: index + 1, total: CLIENT_STEPS.length })}>
      {CLIENT_STEPS.map((id, i) => (
        <li key={id} className={i < index ? 'step step-done' : i === index ? 'step step-current' : 'step'}
          aria-current={i === index ? 'step' : undefined}>
          <span className="step-number" aria-hidden="true">{i + 1}</span>
          <span>{t(`invitation.steps.${id}`)}{i < index ? <span className="visually-hidden">{t('invitation.steps.doneMark')}</span> : null}</span>
        </li>
      ))}
    </ol>
  );
}

export function FactList({ children }: { children: ReactNode }) {
  return <dl className="facts offer-facts">{children}</dl>;
}

/**
 * The language of the invitation pages (the first pages translated; ADR 0029). A native
 * select: keyboard and screen readers handle it without help.
 */
export function LanguageChoice() {
  const { t, i18n: instance } = useTranslation();
  return (
    <p className="language-choice">
      <label htmlFor="language">{t('language.label')}</label>{' '}
      <select id="language" className="input input-inline" value={instance.language}
        onChange={(event) => { if (isLanguage(event.target.value)) void setLanguage(event.target.value); }}>
        {LANGUAGES.map((code) => <option key={code} value={code} lang={code}>{t(`language.${code}`)}</option>)}
      </select>
    </p>
  );
}
