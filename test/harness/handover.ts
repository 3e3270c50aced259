import { as, cookiesOf, linkIn, mailsTo, ORIGIN, type SignedIn, type TestApp } from './testApp.js';
import { cardToken, contactInput } from './factories.js';

export const CLIENT_PASSWORD = 'my bakery website is great';

/** Invites a client to take over an App and returns the token read from the mailed link. */
export async function inviteClient(t: TestApp, dev: SignedIn, appName: string, email: string, plan?: Record<string, string>, extra: Record<string, unknown> = {}) {
  const res = await as(t, dev).post(`/api/v1/apps/${appName}/client-invitations`, {
    email, plan: plan ?? { php: 'php-s', database: 'db-s', storage: 'storage-10' }, ...extra,
  });
  if (res.statusCode !== 201) throw new Error(`invite failed: ${res.statusCode} ${res.body}`);
  const token = await latestInvitationToken(t, email);
  return { invitation: res.json(), token };
}

export async function latestInvitationToken(t: TestApp, email: string): Promise<string> {
  const [mail] = await mailsTo(t.services.db, email.toLowerCase(), 'client-invitation');
  if (!mail) throw new Error(`no invitation mail to ${email}`);
  return new URL(linkIn(mail.textBody)).pathname.split('/').pop()!;
}

/** Signs up from the invitation; returns the signed-in client. */
export async function signUpClient(t: TestApp, token: string, email: string, names = { firstName: 'Clara', lastName: 'Client' }): Promise<SignedIn> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/invitations/sign-up', headers: { origin: ORIGIN }, payload: { token, password: CLIENT_PASSWORD, ...names } });
  if (res.statusCode !== 201) throw new Error(`invitation sign-up failed: ${res.statusCode} ${res.body}`);
  return { id: res.json().accountId, email: email.toLowerCase(), cookie: cookiesOf(res) };
}

export async function acceptWithNewCompany(t: TestApp, client: SignedIn, token: string, companyName = 'Bakery Müller', card?: string) {
  return as(t, client).post('/api/v1/invitations/accept', {
    token, company: { name: companyName }, billingContact: contactInput({ invoiceEmail: client.email }), paymentMethod: { token: card ?? await cardToken(t) },
  });
}

/** The session cookie after a response that renewed it. */
export function renewed(client: SignedIn, res: { headers: Record<string, unknown> }): SignedIn {
  const cookie = cookiesOf(res as never);
  return cookie.includes('session_token') ? { ...client, cookie: cookie.split('; ').filter((c) => c.includes('session_token')).join('; ') } : client;
}
