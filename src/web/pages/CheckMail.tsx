import { useState } from 'react';
import { auth } from '../api/endpoints';
import { Button } from '../components/Button';
import { Notice } from '../components/Feedback';
import { TextField } from '../components/fields';
import { Form, FormActions, invalid, useSubmit } from '../components/Form';
import { Page } from '../components/Layout';
import { Link } from '../router';
import { DevMailboxHint, pendingEmail, rememberPendingEmail } from './identityShared';

export function CheckMailPage() {
  const [email, setEmail] = useState(pendingEmail);
  const [sent, setSent] = useState(false);
  const { busy, error, run, fieldError } = useSubmit();
  const known = pendingEmail();

  const resend = () => run(async () => {
    setSent(false);
    if (!email.trim()) throw invalid([{ path: 'email', message: 'Enter the e-mail address you signed up with.' }]);
    await auth.resendVerification(email.trim());
    rememberPendingEmail(email.trim());
    setSent(true);
  });

  return (
    <Page title="Check your mail" width="narrow">
      <div className="prose">
        <p>
          We have sent a confirmation link to {known ? <strong>{known}</strong> : 'your e-mail address'}.
          Open the mail and click the link to finish creating your account. The link signs you in.
        </p>
        <p>No mail after a few minutes? Look in your spam folder, or send the link again.</p>
        <DevMailboxHint />
      </div>
      {sent ? <Notice tone="success">We have sent a new link. Only the newest link works.</Notice> : null}
      <Form onSubmit={resend} error={error} busy={busy} label="Send the link again">
        {known ? null : (
          <TextField label="E-mail address" name="email" type="email" autoComplete="email" value={email} onChange={setEmail}
            isRequired error={fieldError('email')} />
        )}
        <FormActions>
          <Button type="submit" busy={busy}>Send the link again</Button>
          <Link to="/sign-in">Back to sign in</Link>
        </FormActions>
      </Form>
    </Page>
  );
}
