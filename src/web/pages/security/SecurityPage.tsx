import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { QRCodeSVG } from 'qrcode.react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { security, securityKeys, securityQueries, twoFactor, type SessionItem } from '../../api/security';
import type { Me } from '../../api/models';
import { Button } from '../../components/Button';
import { Notice } from '../../components/Feedback';
import { PasswordField, TextField } from '../../components/fields';
import { Form, FormActions, invalid, useSubmit } from '../../components/Form';
import { Page, Section } from '../../components/Layout';
import { QueryState } from '../../components/QueryState';
import { useFormat } from '../../i18n';
import { useSession } from '../../session';

type Setup = { step: 'idle' } | { step: 'password' } | { step: 'scan'; totpURI: string; backupCodes: string[] } | { step: 'codes'; backupCodes: string[] };

function downloadCodes(codes: string[], email: string, fileName: string, intro: string) {
  const blob = new Blob([`${intro}\n\n${codes.join('\n')}\n`], { type: 'text/plain' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  void email;
}

/** Turning two-step sign-in on (password → QR code and key → first code → recovery codes, shown once) or off. */
function TwoFactorSection({ me }: { me: Me }) {
  const { t } = useTranslation();
  const { refresh } = useSession();
  const [setup, setSetup] = useState<Setup>({ step: 'idle' });
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const { busy, error, run, fieldError, setError } = useSubmit();
  const cancel = () => { setSetup({ step: 'idle' }); setPassword(''); setCode(''); setError(null); };

  if (setup.step === 'codes') {
    return (
      <div className="stack">
        <Notice tone="success">{t('security.twoFactor.enabled')}</Notice>
        <h3>{t('security.twoFactor.recoveryTitle')}</h3>
        <p>{t('security.twoFactor.recoveryBody')}</p>
        <ul className="recovery-codes" aria-label={t('security.twoFactor.recoveryTitle')}>
          {setup.backupCodes.map((c) => <li key={c}><code>{c}</code></li>)}
        </ul>
        <FormActions>
          <Button variant="primary" onPress={() => downloadCodes(setup.backupCodes, me.email, t('security.twoFactor.fileName'), t('security.twoFactor.fileIntro', { email: me.email }))}>
            {t('security.twoFactor.download')}
          </Button>
          <Button onPress={() => setSetup({ step: 'idle' })}>{t('security.twoFactor.recoveryDone')}</Button>
        </FormActions>
      </div>
    );
  }

  if (me.twoFactorEnabled) {
    return (
      <div className="stack">
        {message ? <Notice tone="success">{message}</Notice> : null}
        <p>{t('security.twoFactor.onBody')}</p>
        {setup.step === 'password' ? (
          <Form label={t('security.twoFactor.turnOff')} error={error} busy={busy} onSubmit={() => run(async () => {
            if (!password) throw invalid([{ path: 'password', message: t('security.reauth.missing') }]);
            await twoFactor.disable(password);
            await refresh();
            cancel();
            setMessage(t('security.twoFactor.disabled'));
          })}>
            <PasswordField label={t('security.twoFactor.passwordLabel')} name="password" autoComplete="current-password" value={password}
              onChange={setPassword} isRequired error={fieldError('password')} description={t('security.twoFactor.turnOffHint')} />
            <FormActions>
              <Button type="submit" variant="danger" busy={busy}>{t('security.twoFactor.turnOffConfirm')}</Button>
              <Button onPress={cancel}>{t('security.twoFactor.cancel')}</Button>
            </FormActions>
          </Form>
        ) : <FormActions><Button onPress={() => { setMessage(null); setSetup({ step: 'password' }); }}>{t('security.twoFactor.turnOff')}</Button></FormActions>}
      </div>
    );
  }

  if (setup.step === 'scan') {
    const secret = new URL(setup.totpURI).searchParams.get('secret') ?? '';
    return (
      <Form label={t('security.twoFactor.title')} error={error} busy={busy} onSubmit={() => run(async () => {
        if (!code.trim()) throw invalid([{ path: 'code', message: t('security.signIn.missing') }]);
        await twoFactor.verifyTotp(code.trim());
        await refresh();
        setSetup({ step: 'codes', backupCodes: setup.backupCodes });
        setCode('');
      })}>
        <h3>{t('security.twoFactor.scanTitle')}</h3>
        <div className="qr-code"><QRCodeSVG value={setup.totpURI} size={192} marginSize={2} title={t('security.twoFactor.scanTitle')} /></div>
        <p>{t('security.twoFactor.scanHelp')} <code className="totp-secret" data-testid="totp-secret">{secret.replace(/(.{4})/g, '$1 ').trim()}</code></p>
        <h3>{t('security.twoFactor.codeTitle')}</h3>
        <TextField label={t('security.twoFactor.codeLabel')} name="code" inputMode="numeric" autoComplete="one-time-code" value={code}
          onChange={setCode} isRequired error={fieldError('code')} />
        <FormActions>
          <Button type="submit" variant="primary" busy={busy}>{t('security.twoFactor.confirm')}</Button>
          <Button onPress={cancel}>{t('security.twoFactor.cancel')}</Button>
        </FormActions>
      </Form>
    );
  }

  if (setup.step === 'password') {
    return (
      <Form label={t('security.twoFactor.start')} error={error} busy={busy} onSubmit={() => run(async () => {
        if (!password) throw invalid([{ path: 'password', message: t('security.reauth.missing') }]);
        const started = await twoFactor.enable(password);
        setPassword('');
        setSetup({ step: 'scan', totpURI: started.totpURI, backupCodes: started.backupCodes });
      })}>
        <PasswordField label={t('security.twoFactor.passwordLabel')} name="password" autoComplete="current-password" value={password}
          onChange={setPassword} isRequired error={fieldError('password')} description={t('security.twoFactor.passwordHint')} />
        <FormActions>
          <Button type="submit" variant="primary" busy={busy}>{t('security.twoFactor.continue')}</Button>
          <Button onPress={cancel}>{t('security.twoFactor.cancel')}</Button>
        </FormActions>
      </Form>
    );
  }

  return (
    <div className="stack">
      {message ? <Notice tone="success">{message}</Notice> : null}
      <p>{t('security.twoFactor.offBody')}</p>
      <FormActions><Button variant="primary" onPress={() => { setMessage(null); setSetup({ step: 'password' }); }}>{t('security.twoFactor.start')}</Button></FormActions>
    </div>
  );
}

function SessionRow({ session, onEnded }: { session: SessionItem; onEnded: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { busy, run } = useSubmit();
  return (
    <li className="session-row">
      <div>
        <strong>{session.device}</strong>{session.current ? <> · <span className="badge">{t('security.sessions.current')}</span></> : null}
        <div className="hint">
          {session.ip ? t('security.sessions.address', { ip: session.ip }) : t('security.sessions.unknownAddress')}
          {' · '}{t('security.sessions.lastSeen', { when: format.dateTime(session.lastSeenAt) })}
          {' · '}{t('security.sessions.signedIn', { when: format.dateTime(session.createdAt) })}
        </div>
      </div>
      {session.current ? null : (
        <Button busy={busy} onPress={() => run(async () => { await security.endSession(session.id); onEnded(); })}>{t('security.sessions.end')}</Button>
      )}
    </li>
  );
}

function SessionsSection() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const query = useQuery(securityQueries.sessions());
  const [message, setMessage] = useState<string | null>(null);
  const { busy, run } = useSubmit();
  const reload = (text: string) => { setMessage(text); void client.invalidateQueries({ queryKey: securityKeys.sessions }); };
  return (
    <QueryState query={query}>
      {(list) => (
        <div className="stack">
          {message ? <Notice tone="success">{message}</Notice> : null}
          <ul className="session-list">
            {list.items.map((s) => <SessionRow key={s.id} session={s} onEnded={() => reload(t('security.sessions.ended'))} />)}
          </ul>
          {list.items.length > 1 ? (
            <FormActions>
              <Button busy={busy} onPress={() => run(async () => { await security.endOtherSessions(); reload(t('security.sessions.othersEnded')); })}>
                {t('security.sessions.endOthers')}
              </Button>
            </FormActions>
          ) : <p className="hint">{t('security.sessions.none')}</p>}
        </div>
      )}
    </QueryState>
  );
}

function HistorySection() {
  const { t } = useTranslation();
  const format = useFormat();
  const query = useInfiniteQuery({
    queryKey: securityKeys.history,
    queryFn: ({ pageParam }) => security.history(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  return (
    <QueryState query={{ ...query, data: query.data }}>
      {(data) => {
        const items = data.pages.flatMap((p) => p.items);
        if (items.length === 0) return <p>{t('security.history.empty')}</p>;
        return (
          <div className="stack">
            <div className="table-scroll">
              <table className="security-table">
                <thead><tr><th scope="col">{t('security.history.when')}</th><th scope="col">{t('security.history.result')}</th><th scope="col">{t('security.history.device')}</th><th scope="col">{t('security.history.address')}</th></tr></thead>
                <tbody>
                  {items.map((i) => (
                    <tr key={i.id} className={i.succeeded ? undefined : 'row-warning'}>
                      <td>{format.dateTime(i.at)}</td>
                      <td>{t(`security.history.outcome.${i.outcome}`)}</td>
                      <td>{i.device}</td>
                      <td>{i.ip ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {query.hasNextPage ? <Button busy={query.isFetchingNextPage} onPress={() => { void query.fetchNextPage(); }}>{t('security.history.more')}</Button> : null}
          </div>
        );
      }}
    </QueryState>
  );
}

/** Profile → Security (SPEC 4.10): two-step sign-in, where one is signed in, recent sign-ins. */
export function SecurityPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  if (!me) return null;
  return (
    <Page title={t('security.title')} lead={t('security.lead')}>
      <Section title={t('security.twoFactor.title')} id="two-factor"><TwoFactorSection me={me} /></Section>
      <Section title={t('security.sessions.title')} id="sessions"><SessionsSection /></Section>
      <Section title={t('security.history.title')} id="history"><HistorySection /></Section>
    </Page>
  );
}
