import { useState } from 'react';
import { isApiError } from '../api/client';
import { auth } from '../api/endpoints';
import { Button } from '../components/Button';
import { Notice } from '../components/Feedback';
import { PasswordField, TextField } from '../components/fields';
import { Form, FormActions, invalid, useSubmit } from '../components/Form';
import { Page } from '../components/Layout';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';
import { rememberPendingEmail } from './identityShared';
import { TwoFactorSignIn } from './security/TwoFactorSignIn';

/** Only same-site paths are followed after sign-in (no open redirect). */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/api/') ? next : '/';
}

export function SignInPage() {
  const { flash, search } = useLocation();
  const { refresh } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run, fieldError } = useSubmit();
  const [needsCode, setNeedsCode] = useState(false);
  const finish = async () => {
    await refresh();
    navigate(safeNext(search.get('next')), { replace: true });
  };

  const submit = () => run(async () => {
    const missing = [
      !email.trim() && { path: 'email', message: 'Enter your e-mail address.' },
      !password && { path: 'password', message: 'Enter your password.' },
    ].filter((e): e is { path: string; message: string } => !!e);
    if (missing.length) throw invalid(missing);
    let answer: unknown;
    try {
      answer = await auth.signIn({ email: email.trim(), password });
    } catch (caught) {
      if (isApiError(caught, 'email_not_verified')) rememberPendingEmail(email.trim());
      throw caught;
    }
    // Two-step sign-in is on: the password was right, the code comes next (issue 16).
    if ((answer as { twoFactorRedirect?: boolean } | undefined)?.twoFactorRedirect) {
      setPassword('');
      setNeedsCode(true);
      return;
    }
    await finish();
  });

  if (needsCode) return <TwoFactorSignIn onDone={finish} />;

  return (
    <Page title="Sign in" width="narrow" lead={<>New here? <Link to="/sign-up">Create an account</Link>.</>}>
      {flash ? <Notice tone="success">{flash}</Notice> : null}
      <Form onSubmit={submit} error={error} busy={busy} label="Sign in">
        <TextField label="E-mail address" name="email" type="email" autoComplete="username" value={email} onChange={setEmail}
          isRequired error={fieldError('email')} />
        <PasswordField label="Password" name="password" autoComplete="current-password" value={password} onChange={setPassword}
          isRequired error={fieldError('password')} />
        {isApiError(error, 'email_not_verified') ? (
          <p className="hint"><Link to="/check-mail">What to do if the confirmation mail does not arrive</Link></p>
        ) : null}
        <FormActions>
          <Button type="submit" variant="primary" busy={busy}>Sign in</Button>
          <Link to="/forgot-password">Forgot password?</Link>
        </FormActions>
      </Form>
    </Page>
  );
}
