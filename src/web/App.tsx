import { useEffect, type ReactNode } from 'react';
import { Loading } from './components/Feedback';
import { Layout } from './components/Layout';
import { AppPage } from './pages/AppPage';
import { BookAppPage } from './pages/BookApp';
import { CheckMailPage } from './pages/CheckMail';
import { CompanyPage } from './pages/CompanyPage';
import { CreateTrialAppPage } from './pages/CreateTrialApp';
import { ForgotPasswordPage } from './pages/ForgotPassword';
import { AppsPage, CompaniesPage, HomePage } from './pages/Home';
import { NewCompanyPage } from './pages/NewCompany';
import { NotFoundPage } from './pages/NotFound';
import { ProfilePage } from './pages/Profile';
import { ResetPasswordPage } from './pages/ResetPassword';
import { SecurityPage } from './pages/security/SecurityPage';
import { safeNext, SignInPage } from './pages/SignIn';
import { SignUpPage } from './pages/SignUp';
import { SshKeysPage } from './pages/SshKeys';
import { InvitationPage } from './pages/invitation/InvitationPage';
import { match, navigate, useLocation } from './router';
import { useSession } from './session';

type Access = 'public' | 'guest' | 'signed-in';
interface Route { path: string; access: Access; render: (params: Record<string, string>) => ReactNode }

const ROUTES: Route[] = [
  { path: '/', access: 'public', render: () => <HomePage /> },
  { path: '/sign-up', access: 'guest', render: () => <SignUpPage /> },
  { path: '/check-mail', access: 'public', render: () => <CheckMailPage /> },
  { path: '/sign-in', access: 'guest', render: () => <SignInPage /> },
  { path: '/forgot-password', access: 'public', render: () => <ForgotPasswordPage /> },
  { path: '/reset-password', access: 'public', render: () => <ResetPasswordPage /> },
  { path: '/profile', access: 'signed-in', render: () => <ProfilePage /> },
  { path: '/profile/security', access: 'signed-in', render: () => <SecurityPage /> },
  { path: '/ssh-keys', access: 'signed-in', render: () => <SshKeysPage /> },
  { path: '/companies', access: 'signed-in', render: () => <CompaniesPage /> },
  { path: '/companies/new', access: 'signed-in', render: () => <NewCompanyPage /> },
  { path: '/companies/:id', access: 'signed-in', render: (p) => <CompanyPage id={p.id} /> },
  { path: '/companies/:id/book', access: 'signed-in', render: (p) => <BookAppPage companyId={p.id} /> },
  { path: '/apps', access: 'signed-in', render: () => <AppsPage /> },
  { path: '/apps/new', access: 'signed-in', render: () => <CreateTrialAppPage /> },
  { path: '/apps/:name', access: 'signed-in', render: (p) => <AppPage name={p.name} /> },
  { path: '/invitation', access: 'public', render: () => <InvitationPage /> },
];

function Redirect({ to }: { to: string }) {
  useEffect(() => { navigate(to, { replace: true }); }, [to]);
  return null;
}

export function App() {
  const { pathname, search } = useLocation();
  const { me } = useSession();
  let content: ReactNode = <NotFoundPage />;
  for (const route of ROUTES) {
    const params = match(route.path, pathname);
    if (!params) continue;
    if (route.access !== 'public' && me === undefined) content = <Loading />;
    else if (route.access === 'signed-in' && me === null) {
      content = <Redirect to={`/sign-in?next=${encodeURIComponent(pathname + (search.toString() ? `?${search}` : ''))}`} />;
    } else if (route.access === 'guest' && me) content = <Redirect to={safeNext(search.get('next'))} />;
    else content = route.render(params);
    break;
  }
  return <Layout>{content}</Layout>;
}
