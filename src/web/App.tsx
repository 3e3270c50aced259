import { lazy, Suspense, useEffect, type ComponentType, type ReactNode } from 'react';
import { Loading } from './components/Feedback';
import { Layout } from './components/Layout';
import { AppsPage, CompaniesPage, HomePage } from './pages/Home';
import { NotFoundPage } from './pages/NotFound';
import { safeNext, SignInPage } from './pages/SignIn';
import { match, navigate, useLocation } from './router';
import { useSession } from './session';

/**
 * Route-level code splitting: the home page and sign-in come with the first load; every other
 * page is its own chunk, fetched when first opened (docs/web.md lists the sizes).
 */
function page<K extends string, P extends object>(load: () => Promise<Record<K, ComponentType<P>>>, name: K) {
  return lazy(async () => ({ default: (await load())[name] }));
}
const AppPage = page(() => import('./pages/AppPage'), 'AppPage');
const BookAppPage = page(() => import('./pages/BookApp'), 'BookAppPage');
const ConfirmPaymentPage = page(() => import('./pages/company/ConfirmPayment'), 'ConfirmPaymentPage');
const CheckMailPage = page(() => import('./pages/CheckMail'), 'CheckMailPage');
const CompanyPage = page(() => import('./pages/CompanyPage'), 'CompanyPage');
const CreateTrialAppPage = page(() => import('./pages/CreateTrialApp'), 'CreateTrialAppPage');
const ForgotPasswordPage = page(() => import('./pages/ForgotPassword'), 'ForgotPasswordPage');
const NewCompanyPage = page(() => import('./pages/NewCompany'), 'NewCompanyPage');
const ProfilePage = page(() => import('./pages/Profile'), 'ProfilePage');
const ResetPasswordPage = page(() => import('./pages/ResetPassword'), 'ResetPasswordPage');
const SignUpPage = page(() => import('./pages/SignUp'), 'SignUpPage');
const SshKeysPage = page(() => import('./pages/SshKeys'), 'SshKeysPage');
const SecurityPage = page(() => import('./pages/security/SecurityPage'), 'SecurityPage');
const InvitationPage = page(() => import('./pages/invitation/InvitationPage'), 'InvitationPage');
const LegalPage = page(() => import('./pages/Legal'), 'LegalPage');

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
  { path: '/companies/:id/invoices/:invoiceId/confirm', access: 'signed-in', render: (p) => <ConfirmPaymentPage companyId={p.id} invoiceId={p.invoiceId} /> },
  { path: '/apps', access: 'signed-in', render: () => <AppsPage /> },
  { path: '/apps/new', access: 'signed-in', render: () => <CreateTrialAppPage /> },
  { path: '/apps/:name', access: 'signed-in', render: (p) => <AppPage name={p.name} /> },
  { path: '/invitation', access: 'public', render: () => <InvitationPage /> },
  { path: '/terms', access: 'public', render: () => <LegalPage kind="terms" /> },
  { path: '/privacy', access: 'public', render: () => <LegalPage kind="privacy" /> },
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
  return <Layout><Suspense fallback={<Loading />}>{content}</Suspense></Layout>;
}
