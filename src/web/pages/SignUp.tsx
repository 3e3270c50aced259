import { useState } from 'react';
import { auth } from '../api/endpoints';
import type { AccountType } from '../api/models';
import { Button } from '../components/Button';
import { PasswordField, RadioGroup, TextField } from '../components/fields';
import { Form, FormActions, invalid, useSubmit } from '../components/Form';
import { Page } from '../components/Layout';
import { Link, navigate } from '../router';
import { PASSWORD_RULE, rememberPendingEmail } from './identityShared';

export function SignUpPage() {
  const [email, setEmail] = useState('');
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [password, setPassword] = useState('');
  const [accountType, setAccountType] = useState<AccountType>('developer');
  const { busy, error, run, fieldError } = useSubmit();

  const submit = () => run(async () => {
    const missing = [
      !email.trim() && { path: 'email', message: 'Enter your e-mail address.' },
      !firstName.trim() && { path: 'firstName', message: 'Enter your first name.' },
      !lastName.trim() && { path: 'lastName', message: 'Enter your last name.' },
      !password && { path: 'password', message: 'Choose a password.' },
    ].filter((e): e is { path: string; message: string } => !!e);
    if (missing.length) throw invalid(missing);
    const first = firstName.trim();
    const last = lastName.trim();
    await auth.signUp({ email: email.trim(), password, name: `${first} ${last}`, firstName: first, lastName: last, accountType });
    rememberPendingEmail(email.trim());
    navigate('/check-mail');
  });

  return (
    <Page title="Create your account" width="narrow" lead={<>Already have one? <Link to="/sign-in">Sign in</Link>.</>}>
      <Form onSubmit={submit} error={error} busy={busy} label="Create your account">
        <TextField label="E-mail address" name="email" type="email" autoComplete="email" value={email} onChange={setEmail}
          isRequired error={fieldError('email')} description="We send a link to this address to confirm it is yours." />
        <div className="field-row">
          <TextField label="First name" name="firstName" autoComplete="given-name" value={firstName} onChange={setFirstName}
            isRequired error={fieldError('firstName') ?? fieldError('name')} />
          <TextField label="Last name" name="lastName" autoComplete="family-name" value={lastName} onChange={setLastName}
            isRequired error={fieldError('lastName')} />
        </div>
        <PasswordField label="Password" name="password" autoComplete="new-password" value={password} onChange={setPassword}
          isRequired error={fieldError('password')} description={PASSWORD_RULE} />
        <RadioGroup legend="What describes you best?" name="accountType" value={accountType}
          onChange={(v) => setAccountType(v as AccountType)}
          description="You can change this later in your profile."
          options={[
            { value: 'developer', label: 'I build websites (developer)', hint: 'Create Apps, add SSH keys for code access, and hand finished Apps over to your clients.' },
            { value: 'client', label: 'I own a website someone builds for me (client)', hint: 'Pay for your website, see invoices and decide who works on it. No technical set-up needed.' },
          ]} />
        <FormActions>
          <Button type="submit" variant="primary" busy={busy}>Create account</Button>
        </FormActions>
      </Form>
    </Page>
  );
}
