import { useState } from 'react';
import { auth } from '../api/endpoints';
import { Button } from '../components/Button';
import { Notice } from '../components/Feedback';
import { TextField } from '../components/fields';
import { Form, FormActions, invalid, useSubmit } from '../components/Form';
import { Page } from '../components/Layout';
import { Link } from '../router';
import { DevMailboxHint } from './identityShared';

export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const { busy, error, run, fieldError } = useSubmit();

  const submit = () => run(async () => {
    if (!email.trim()) throw invalid([{ path: 'email', message: 'Enter the e-mail address of your account.' }]);
    await auth.requestPasswordReset(email.trim());
    setSentTo(email.trim());
  });

  return (
    <Page title="Forgot your password?" width="narrow"
      lead="Enter the e-mail address of your account. We will send you a link to choose a new password.">
      {sentTo ? (
        <Notice tone="success" title="Check your mail">
          <p>If there is an account for <strong>{sentTo}</strong>, a link to choose a new password is on its way. The link works for a limited time.</p>
          <DevMailboxHint />
        </Notice>
      ) : null}
      <Form onSubmit={submit} error={error} busy={busy} label="Request a password reset link">
        <TextField label="E-mail address" name="email" type="email" autoComplete="email" value={email} onChange={setEmail}
          isRequired error={fieldError('email')} />
        <FormActions>
          <Button type="submit" variant="primary" busy={busy}>Send me a link</Button>
          <Link to="/sign-in">Back to sign in</Link>
        </FormActions>
      </Form>
    </Page>
  );
}
