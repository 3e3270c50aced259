import { useEffect, useState } from 'react';
import { auth } from '../api/endpoints';
import { Button } from '../components/Button';
import { ErrorMessage } from '../components/Feedback';
import { PasswordField } from '../components/fields';
import { Form, FormActions, invalid, useSubmit } from '../components/Form';
import { Page } from '../components/Layout';
import { Link, navigate, replaceSearch, useLocation } from '../router';
import { PASSWORD_RULE } from './identityShared';

export function ResetPasswordPage() {
  const { search } = useLocation();
  // Read once, then drop the token from the address bar so it stays out of history and Referer.
  const [token] = useState(() => search.get('token') ?? '');
  const [linkError] = useState(() => search.get('error'));
  useEffect(() => { if (window.location.search) replaceSearch(''); }, []);
  const [password, setPassword] = useState('');
  const { busy, error, run, fieldError } = useSubmit();

  const submit = () => run(async () => {
    if (!password) throw invalid([{ path: 'newPassword', message: 'Choose a new password.' }]);
    await auth.resetPassword(token, password);
    navigate('/sign-in', { replace: true, flash: 'Your password has been changed. Sign in with your new password.' });
  });

  if (!token || linkError) {
    return (
      <Page title="Choose a new password" width="narrow">
        <ErrorMessage>
          <p>This link is not valid any more. Links work once and for a limited time.</p>
        </ErrorMessage>
        <p><Link to="/forgot-password" className="btn btn-primary">Ask for a new link</Link></p>
      </Page>
    );
  }

  const tokenProblem = error?.fieldError('token');
  return (
    <Page title="Choose a new password" width="narrow">
      <Form onSubmit={submit} error={error} busy={busy} label="Choose a new password">
        <PasswordField label="New password" name="newPassword" autoComplete="new-password" value={password} onChange={setPassword}
          isRequired error={fieldError('newPassword')} description={PASSWORD_RULE} />
        <FormActions>
          <Button type="submit" variant="primary" busy={busy}>Save new password</Button>
          {tokenProblem ? <Link to="/forgot-password">Ask for a new link</Link> : null}
        </FormActions>
      </Form>
    </Page>
  );
}
