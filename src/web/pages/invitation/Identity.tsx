import { useState } from 'react';
import { Input, Label, Text, TextField as AriaTextField } from 'react-aria-components';
import { isApiError } from '../../api/client';
import { auth } from '../../api/endpoints';
import { Button } from '../../components/Button';
import { Notice } from '../../components/Feedback';
import { PasswordField, RadioGroup, TextField } from '../../components/fields';
import { Form, FormActions, invalid, useSubmit } from '../../components/Form';
import { Link } from '../../router';
import { useSession } from '../../session';
import { PASSWORD_RULE } from '../identityShared';
import { invitee } from '../../api/endpoints';
import type { InvitationLookup } from '../../api/models';
import { signedInAsInvited } from './shared';

/** The invited address, shown in a read-only field (password managers pick it up as the username). */
function FixedEmail({ email }: { email: string }) {
  return (
    <AriaTextField value={email} isReadOnly className="field" name="email" autoComplete="username">
      <Label className="field-label">E-mail address</Label>
      <Text slot="description" className="field-description">The address your invitation was sent to.</Text>
      <Input className="input input-readonly" />
    </AriaTextField>
  );
}

/** Signed in as someone else: say who, and offer to sign out (email_mismatch). */
export function WrongAccount({ info, signedInAs }: { info: InvitationLookup; signedInAs: string }) {
  const { setMe } = useSession();
  const [busy, setBusy] = useState(false);
  const signOut = async () => {
    setBusy(true);
    try { await auth.signOut(); } catch (error) { console.error(error); } finally { setBusy(false); setMe(null); }
  };
  return (
    <div role="alert" className="alert alert-error">
      <p className="alert-title">You are signed in with a different e-mail address</p>
      <p>You are signed in as <strong>{signedInAs}</strong>, but this invitation is for <strong>{info.email}</strong>.
        Only that address can accept it. Sign out, then continue with {info.email}.</p>
      <Button variant="primary" busy={busy} onPress={() => void signOut()}>Sign out</Button>
    </div>
  );
}

function SignUpForm({ info, onDone, onExists }: { info: InvitationLookup; onDone: () => Promise<void>; onExists: () => void }) {
  const [firstName, setFirstName] = useState(info.clientName?.split(' ')[0] ?? '');
  const [lastName, setLastName] = useState(info.clientName?.split(' ').slice(1).join(' ') ?? '');
  const [password, setPassword] = useState('');
  const { busy, error, run, fieldError } = useSubmit();
  const submit = () => run(async () => {
    const missing = [
      !firstName.trim() && { path: 'firstName', message: 'Enter your first name.' },
      !lastName.trim() && { path: 'lastName', message: 'Enter your last name.' },
      !password && { path: 'password', message: 'Choose a password.' },
    ].filter((e): e is { path: string; message: string } => !!e);
    if (missing.length) throw invalid(missing);
    try {
      await invitee.signUp({ firstName: firstName.trim(), lastName: lastName.trim(), password });
    } catch (caught) {
      if (isApiError(caught, 'conflict')) { onExists(); return; }
      throw caught;
    }
    await onDone();
  });
  return (
    <Form onSubmit={submit} error={error} busy={busy} label="Create your account">
      <FixedEmail email={info.email} />
      <div className="field-row">
        <TextField label="First name" name="firstName" autoComplete="given-name" value={firstName} onChange={setFirstName}
          isRequired error={fieldError('firstName')} />
        <TextField label="Last name" name="lastName" autoComplete="family-name" value={lastName} onChange={setLastName}
          isRequired error={fieldError('lastName')} />
      </div>
      <PasswordField label="Choose a password" name="password" autoComplete="new-password" value={password} onChange={setPassword}
        isRequired error={fieldError('password')} description={PASSWORD_RULE} />
      <FormActions><Button type="submit" variant="primary" busy={busy}>Create account and continue</Button></FormActions>
    </Form>
  );
}

function SignInForm({ info, onDone, notice }: { info: InvitationLookup; onDone: () => Promise<void>; notice?: string }) {
  const [password, setPassword] = useState('');
  const { busy, error, run, fieldError } = useSubmit();
  const submit = () => run(async () => {
    if (!password) throw invalid([{ path: 'password', message: 'Enter your password.' }]);
    await auth.signIn({ email: info.email, password });
    await onDone();
  });
  return (
    <Form onSubmit={submit} error={error} busy={busy} label="Sign in">
      {notice ? <Notice tone="info">{notice}</Notice> : null}
      <FixedEmail email={info.email} />
      <PasswordField label="Password" name="password" autoComplete="current-password" value={password} onChange={setPassword}
        isRequired error={fieldError('password')} />
      <FormActions>
        <Button type="submit" variant="primary" busy={busy}>Sign in and continue</Button>
        <Link to="/forgot-password">Forgot your password?</Link>
      </FormActions>
    </Form>
  );
}

/**
 * "Who are you?": create an account with the invited address (the link proves the mailbox,
 * so no confirmation mail), or sign in with it. Calls onSignedIn once the session is there.
 */
export function Identity({ info, onSignedIn }: { info: InvitationLookup; onSignedIn: () => void }) {
  const { me, refresh } = useSession();
  const [mode, setMode] = useState<'new' | 'existing'>('new');
  const [existsNotice, setExistsNotice] = useState('');
  if (me && !signedInAsInvited(me, info)) return <WrongAccount info={info} signedInAs={me.email} />;
  if (me) {
    return (
      <div className="form">
        <p>You are signed in as <strong>{me.email}</strong>.</p>
        <FormActions><Button variant="primary" onPress={onSignedIn}>Continue</Button></FormActions>
      </div>
    );
  }
  const done = async () => { await refresh(); onSignedIn(); };
  return (
    <div className="form">
      <RadioGroup legend="Do you already have an account here?" name="accountMode" value={mode}
        onChange={(v) => { setMode(v as 'new' | 'existing'); setExistsNotice(''); }}
        options={[
          { value: 'new', label: 'No, create my account', hint: 'Takes a minute. No confirmation e-mail needed: your invitation proves the address is yours.' },
          { value: 'existing', label: 'I already have an account', hint: `Sign in with ${info.email}.` },
        ]} />
      {mode === 'new'
        ? <SignUpForm info={info} onDone={done} onExists={() => { setExistsNotice('You already have an account with this address. Please sign in with your password.'); setMode('existing'); }} />
        : <SignInForm info={info} onDone={done} notice={existsNotice} />}
    </div>
  );
}
