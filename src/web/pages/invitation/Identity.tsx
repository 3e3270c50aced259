import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Input, Label, Text, TextField as AriaTextField } from 'react-aria-components';
import { isApiError, type FieldProblem } from '../../api/client';
import { auth } from '../../api/endpoints';
import { Button } from '../../components/Button';
import { Notice } from '../../components/Feedback';
import { PasswordField, RadioGroup, TextField } from '../../components/fields';
import { Form, FormActions, invalid, useSubmit } from '../../components/Form';
import { Link, useLocation } from '../../router';
import { INVITATION_ACCOUNT_STEP } from '../../../shared/nextPath';
import { useSession } from '../../session';
import { invitee } from '../../api/endpoints';
import type { InvitationLookup } from '../../api/models';
import { signedInAsInvited } from './shared';
import { currentLanguage } from '../../i18n';
import { localTimeZone } from '../../../shared/format';

/** The invited address, shown in a read-only field (password managers pick it up as the username). */
function FixedEmail({ email }: { email: string }) {
  const { t } = useTranslation();
  return (
    <AriaTextField value={email} isReadOnly className="field" name="email" autoComplete="username">
      <Label className="field-label">{t('invitation.identity.email')}</Label>
      <Text slot="description" className="field-description">{t('invitation.identity.emailHint')}</Text>
      <Input className="input input-readonly" />
    </AriaTextField>
  );
}

/** Signed in as someone else: say who, and offer to sign out (email_mismatch). */
export function WrongAccount({ info, signedInAs }: { info: InvitationLookup; signedInAs: string }) {
  const { t } = useTranslation();
  const { setMe } = useSession();
  const [busy, setBusy] = useState(false);
  const signOut = async () => {
    setBusy(true);
    try { await auth.signOut(); } catch (error) { console.error(error); } finally { setBusy(false); setMe(null); }
  };
  return (
    <div role="alert" className="alert alert-error">
      <p className="alert-title">{t('invitation.identity.wrongTitle')}</p>
      <p><Trans i18nKey="invitation.identity.wrongBody" values={{ signedInAs, email: info.email }} components={{ strong: <strong /> }} /></p>
      <Button variant="primary" busy={busy} onPress={() => void signOut()}>{t('invitation.identity.signOut')}</Button>
    </div>
  );
}

type PasswordState = { password: string; setPassword: (value: string) => void };

function SignUpForm({ info, onDone, onExists, password, setPassword }: { info: InvitationLookup; onDone: () => Promise<void>; onExists: () => void } & PasswordState) {
  const { t } = useTranslation();
  const [firstName, setFirstName] = useState(info.clientName?.split(' ')[0] ?? '');
  const [lastName, setLastName] = useState(info.clientName?.split(' ').slice(1).join(' ') ?? '');
  const { busy, error, run, fieldError } = useSubmit();
  const submit = () => run(async () => {
    const missing = ([
      !firstName.trim() && { path: 'firstName', message: t('invitation.identity.missingFirstName') },
      !lastName.trim() && { path: 'lastName', message: t('invitation.identity.missingLastName') },
      !password && { path: 'password', message: t('invitation.identity.missingNewPassword') },
    ] as (FieldProblem | false)[]).filter((e): e is FieldProblem => !!e);
    if (missing.length) throw invalid(missing);
    try {
      // The page's language and the browser's zone go along, so the mails that follow are in them (ADR 0092).
      await invitee.signUp({ firstName: firstName.trim(), lastName: lastName.trim(), password, language: currentLanguage(), timeZone: localTimeZone() });
    } catch (caught) {
      if (isApiError(caught, 'conflict')) { onExists(); return; }
      throw caught;
    }
    await onDone();
  });
  return (
    <Form onSubmit={submit} error={error} busy={busy} label={t('invitation.identity.createForm')}>
      <FixedEmail email={info.email} />
      <div className="field-row">
        <TextField label={t('invitation.identity.firstName')} name="firstName" autoComplete="given-name" value={firstName} onChange={setFirstName}
          isRequired error={fieldError('firstName')} />
        <TextField label={t('invitation.identity.lastName')} name="lastName" autoComplete="family-name" value={lastName} onChange={setLastName}
          isRequired error={fieldError('lastName')} />
      </div>
      <PasswordField label={t('invitation.identity.choosePassword')} name="password" autoComplete="new-password" value={password} onChange={setPassword}
        isRequired error={fieldError('password')} description={t('identity.passwordRule')} />
      <FormActions><Button type="submit" variant="primary" busy={busy}>{t('invitation.identity.create')}</Button></FormActions>
    </Form>
  );
}

function SignInForm({ info, onDone, notice, password, setPassword }: { info: InvitationLookup; onDone: () => Promise<void>; notice?: string } & PasswordState) {
  const { t } = useTranslation();
  const { busy, error, run, fieldError } = useSubmit();
  const submit = () => run(async () => {
    if (!password) throw invalid([{ path: 'password', message: t('invitation.identity.missingPassword') }]);
    await auth.signIn({ email: info.email, password });
    await onDone();
  });
  return (
    <Form onSubmit={submit} error={error} busy={busy} label={t('invitation.identity.signInForm')}>
      {notice ? <Notice tone="info">{notice}</Notice> : null}
      <FixedEmail email={info.email} />
      <PasswordField label={t('invitation.identity.password')} name="password" autoComplete="current-password" value={password} onChange={setPassword}
        isRequired error={fieldError('password')} />
      <FormActions>
        <Button type="submit" variant="primary" busy={busy}>{t('invitation.identity.signIn')}</Button>
        <Link to={`/forgot-password?next=${encodeURIComponent(INVITATION_ACCOUNT_STEP)}`}>{t('invitation.identity.forgot')}</Link>
      </FormActions>
    </Form>
  );
}

/**
 * "Who are you?": create an account with the invited address (the link proves the mailbox,
 * so no confirmation mail), or sign in with it. Calls onSignedIn once the session is there.
 */
export function Identity({ info, onSignedIn }: { info: InvitationLookup; onSignedIn: () => void }) {
  const { t } = useTranslation();
  const { me, refresh } = useSession();
  // Back from "Forgot your password?" (issue 17): the reset page's flash, and the sign-in form.
  const { flash } = useLocation();
  const [mode, setMode] = useState<'new' | 'existing'>(flash ? 'existing' : 'new');
  const [existsNotice, setExistsNotice] = useState(flash ?? '');
  // One password for both forms: someone who typed it under "new account" and is sent to
  // "sign in" (the address has an account) does not type it again (issue 17).
  const [password, setPassword] = useState('');
  if (me && !signedInAsInvited(me, info)) return <WrongAccount info={info} signedInAs={me.email} />;
  if (me) {
    return (
      <div className="form">
        <p><Trans i18nKey="invitation.identity.signedInAs" values={{ email: me.email }} components={{ strong: <strong /> }} /></p>
        <FormActions><Button variant="primary" onPress={onSignedIn}>{t('invitation.identity.continue')}</Button></FormActions>
      </div>
    );
  }
  const done = async () => { await refresh(); onSignedIn(); };
  return (
    <div className="form">
      <RadioGroup legend={t('invitation.identity.haveAccount')} name="accountMode" value={mode}
        onChange={(v) => { setMode(v as 'new' | 'existing'); setExistsNotice(''); }}
        options={[
          { value: 'new', label: t('invitation.identity.modeNew'), hint: t('invitation.identity.modeNewHint') },
          { value: 'existing', label: t('invitation.identity.modeExisting'), hint: t('invitation.identity.modeExistingHint', { email: info.email }) },
        ]} />
      {mode === 'new'
        ? <SignUpForm info={info} onDone={done} password={password} setPassword={setPassword} onExists={() => { setExistsNotice(t('invitation.identity.exists')); setMode('existing'); }} />
        : <SignInForm info={info} onDone={done} notice={existsNotice} password={password} setPassword={setPassword} />}
    </div>
  );
}
