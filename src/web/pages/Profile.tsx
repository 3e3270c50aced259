import { useState } from 'react';
import { account, auth } from '../api/endpoints';
import type { AccountType, Me } from '../api/models';
import { Button } from '../components/Button';
import { Notice } from '../components/Feedback';
import { Checkbox, PasswordField, RadioGroup, TextField } from '../components/fields';
import { Form, FormActions, invalid, useSubmit } from '../components/Form';
import { Page, Section } from '../components/Layout';
import { useSession } from '../session';
import { PASSWORD_RULE } from './identityShared';
import { SecurityLink } from './security/SecurityLink';

function DetailsForm({ me, onSaved }: { me: Me; onSaved: (me: Me) => void }) {
  const [firstName, setFirstName] = useState(me.firstName);
  const [lastName, setLastName] = useState(me.lastName);
  const [accountType, setAccountType] = useState<AccountType>(me.accountType);
  const [newsletter, setNewsletter] = useState(me.newsletter);
  const [saved, setSaved] = useState(false);
  const { busy, error, run, fieldError } = useSubmit();

  const submit = () => run(async () => {
    setSaved(false);
    const body: Parameters<typeof account.update>[0] = { firstName: firstName.trim(), lastName: lastName.trim(), accountType };
    // Clients never get the newsletter; the server switches it off when the type changes.
    if (accountType === 'developer') body.newsletter = newsletter;
    const next = await account.update(body);
    setNewsletter(next.newsletter);
    onSaved(next);
    setSaved(true);
  });

  return (
    <Form onSubmit={submit} error={error} busy={busy} label="Your details">
      {saved ? <Notice tone="success">Your details are saved.</Notice> : null}
      <p className="field-static"><span className="field-label">E-mail address</span> {me.email}</p>
      <div className="field-row">
        <TextField label="First name" name="firstName" autoComplete="given-name" value={firstName} onChange={setFirstName}
          isRequired error={fieldError('firstName')} />
        <TextField label="Last name" name="lastName" autoComplete="family-name" value={lastName} onChange={setLastName}
          isRequired error={fieldError('lastName')} />
      </div>
      <RadioGroup legend="Account type" name="accountType" value={accountType} onChange={(v) => setAccountType(v as AccountType)}
        error={fieldError('accountType')}
        options={[
          { value: 'developer', label: 'Developer', hint: 'You build websites: Apps, code access with git, and handovers to clients.' },
          { value: 'client', label: 'Client', hint: 'You own a website and pay for it; no technical tools are shown.' },
        ]} />
      {accountType === 'developer' ? (
        <Checkbox name="newsletter" isSelected={newsletter} onChange={setNewsletter}
          description="About once a month: new features and tips for developers. Unsubscribe any time.">
          Send me the developer newsletter
        </Checkbox>
      ) : null}
      <FormActions>
        <Button type="submit" variant="primary" busy={busy}>Save details</Button>
      </FormActions>
    </Form>
  );
}

function ChangePasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [done, setDone] = useState(false);
  const { busy, error, run, fieldError } = useSubmit();

  const submit = () => run(async () => {
    setDone(false);
    const missing = [
      !current && { path: 'currentPassword', message: 'Enter your current password.' },
      !next && { path: 'newPassword', message: 'Choose a new password.' },
    ].filter((e): e is { path: string; message: string } => !!e);
    if (missing.length) throw invalid(missing);
    await auth.changePassword(current, next);
    setCurrent('');
    setNext('');
    setDone(true);
  });

  return (
    <Form onSubmit={submit} error={error} busy={busy} label="Change password">
      {done ? <Notice tone="success">Your password has been changed.</Notice> : null}
      <PasswordField label="Current password" name="currentPassword" autoComplete="current-password" value={current}
        onChange={setCurrent} isRequired error={fieldError('currentPassword')} />
      <PasswordField label="New password" name="newPassword" autoComplete="new-password" value={next} onChange={setNext}
        isRequired error={fieldError('newPassword')} description={PASSWORD_RULE} />
      <FormActions>
        <Button type="submit" busy={busy}>Change password</Button>
      </FormActions>
    </Form>
  );
}

export function ProfilePage() {
  const { me, setMe } = useSession();
  if (!me) return null;
  return (
    <Page title="Your profile">
      <Section title="Your details"><DetailsForm me={me} onSaved={setMe} /></Section>
      <Section title="Password"><ChangePasswordForm /></Section>
      <SecurityLink />
    </Page>
  );
}
