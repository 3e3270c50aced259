import type { ReactNode } from 'react';
import type { Me } from '../../api/models';
import { navigate } from '../../router';
import type { InvitationLookup } from '../../api/models';

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

/** The day after today, when the client's billing starts. */
export function tomorrowText(now = new Date()): string {
  const next = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  return new Intl.DateTimeFormat('en', { dateStyle: 'long' }).format(next);
}

export function untilText(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat('en', { dateStyle: 'long', timeStyle: 'short' }).format(date);
}

const DONE_KEY = 'dashboard.handoverDone';

export interface DoneFacts { appName: string; companyId: string; companyName: string; inviterName: string }

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

const CLIENT_STEPS: { id: ClientStep; label: string }[] = [
  { id: 'offer', label: 'The offer' },
  { id: 'account', label: 'Your account' },
  { id: 'billing', label: 'Billing' },
  { id: 'done', label: 'Done' },
];

/** "Step 2 of 4" as an ordered list; the current step carries aria-current. */
export function Steps({ current }: { current: ClientStep }) {
  const index = CLIENT_STEPS.findIndex((s) => s.id === (current === 'consent' ? 'billing' : current));
  return (
    <ol className="steps" aria-label={`Step ${index + 1} of ${CLIENT_STEPS.length}`}>
      {CLIENT_STEPS.map((s, i) => (
        <li key={s.id} className={i < index ? 'step step-done' : i === index ? 'step step-current' : 'step'}
          aria-current={i === index ? 'step' : undefined}>
          <span className="step-number" aria-hidden="true">{i + 1}</span>
          <span>{s.label}{i < index ? <span className="visually-hidden"> (done)</span> : null}</span>
        </li>
      ))}
    </ol>
  );
}

export function FactList({ children }: { children: ReactNode }) {
  return <dl className="facts offer-facts">{children}</dl>;
}
