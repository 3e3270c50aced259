import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { account, auth } from '../api/endpoints';
import { isLanguage, type Language } from '../../shared/i18n/index';
import { localTimeZone } from '../../shared/format';
import { applyAccountLanguage, LANGUAGES, setAccountLanguageSaver, setLanguage, storedLanguage } from '../i18n';
import { canHaveSshKeys } from '../permissions';
import { hasNavigated, Link, navigate, useLocation } from '../router';
import { useSession } from '../session';
import { SiteFooter } from './SiteFooter';

function NavLink({ to, children }: { to: string; children: ReactNode }) {
  const { pathname } = useLocation();
  const active = to === '/' ? pathname === '/' : pathname === to || pathname.startsWith(`${to}/`);
  return <Link to={to} className="nav-link" aria-current={active ? 'page' : undefined}>{children}</Link>;
}

/**
 * Keeps the shown language in step with the Account (ADR 0070): its setting wins once the
 * session is known; a choice made while signed out is saved on an Account that has none yet;
 * a choice made while signed in is saved on the Account, with the browser's time zone for mails.
 */
function useLanguageSync() {
  const { me, setMe } = useSession();
  const id = me?.id;
  const language = me?.language;
  useEffect(() => {
    if (!id) { setAccountLanguageSaver(null); return; }
    const save = async (chosen: Language) => {
      try {
        setMe(await account.update({ language: chosen, timeZone: localTimeZone() }));
      } catch (error) {
        console.error(error);
      }
    };
    setAccountLanguageSaver(save);
    const picked = storedLanguage();
    if (!language && picked) void save(picked);
    else void applyAccountLanguage(language);
    return () => setAccountLanguageSaver(null);
  }, [id, language, setMe]);
}

/** The language switch in the footer of every page: a native select, easy with keyboard and screen reader. */
function LanguageSwitch() {
  const { t, i18n: instance } = useTranslation();
  return (
    <p className="language-switch">
      <label htmlFor="footer-language">{t('language.label')}</label>{' '}
      <select id="footer-language" className="input input-inline" value={instance.language}
        onChange={(event) => { if (isLanguage(event.target.value)) void setLanguage(event.target.value); }}>
        {LANGUAGES.map((code) => <option key={code} value={code} lang={code}>{t(`language.${code}`)}</option>)}
      </select>
    </p>
  );
}

/** The frame of every page: skip link, header with navigation, main landmark, footer. */
export function Layout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { me, setMe } = useSession();
  useLanguageSync();
  const [signingOut, setSigningOut] = useState(false);
  const signOut = async () => {
    setSigningOut(true);
    try {
      await auth.signOut();
    } catch (error) {
      console.error(error);
    } finally {
      setSigningOut(false);
      setMe(null);
      navigate('/sign-in', { flash: t('frame.signedOut') });
    }
  };
  return (
    <>
      <a href="#main" className="skip-link">{t('frame.skip')}</a>
      <header className="site-header">
        <div className="header-inner">
          <Link to="/" className="brand">{t('frame.brand')}</Link>
          {me ? (
            <nav aria-label={t('frame.nav')} className="nav">
              <NavLink to="/">{t('frame.home')}</NavLink>
              <NavLink to="/companies">{t('frame.companies')}</NavLink>
              <NavLink to="/apps">{t('frame.apps')}</NavLink>
              <NavLink to="/profile">{t('frame.profile')}</NavLink>
              {canHaveSshKeys(me) ? <NavLink to="/ssh-keys">{t('frame.sshKeys')}</NavLink> : null}
              <button type="button" className="nav-link nav-button" onClick={() => void signOut()} disabled={signingOut}>
                {signingOut ? t('frame.signingOut') : t('frame.signOut')}
              </button>
            </nav>
          ) : me === null ? (
            <nav aria-label={t('frame.nav')} className="nav">
              <NavLink to="/sign-in">{t('frame.signIn')}</NavLink>
              <NavLink to="/sign-up">{t('frame.signUp')}</NavLink>
            </nav>
          ) : null}
        </div>
      </header>
      <main id="main" tabIndex={-1} className="main">{children}</main>
      <footer className="site-footer"><p>{t('frame.footer')}</p><LanguageSwitch /><SiteFooter /></footer>
    </>
  );
}

/**
 * One page: sets the document title and, after an in-app navigation, moves focus to the
 * heading so screen-reader users hear where they are.
 */
export function Page({ title, children, lead, actions, width = 'normal' }: {
  title: string; children: ReactNode; lead?: ReactNode; actions?: ReactNode; width?: 'narrow' | 'normal';
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const { key } = useLocation();
  useEffect(() => { document.title = `${title} · Dashboard`; }, [title]);
  useEffect(() => { if (hasNavigated()) heading.current?.focus(); }, [key]);
  return (
    <div className={`page page-${width}`}>
      <div className="page-head">
        <div>
          <h1 ref={heading} tabIndex={-1}>{title}</h1>
          {lead ? <p className="lead">{lead}</p> : null}
        </div>
        {actions ? <div className="page-actions">{actions}</div> : null}
      </div>
      {children}
    </div>
  );
}

export function Section({ title, children, actions, id }: { title: string; children: ReactNode; actions?: ReactNode; id?: string }) {
  const headingId = id ?? `section-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <section className="card" aria-labelledby={headingId}>
      <div className="card-head">
        <h2 id={headingId}>{title}</h2>
        {actions ? <div className="card-actions">{actions}</div> : null}
      </div>
      {children}
    </section>
  );
}
