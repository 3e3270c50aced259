import path from 'node:path';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { ConfigError, loadConfig } from '../src/server/config.js';
import { describeDatabaseError, openDatabase } from '../src/server/db/client.js';
import { DataDirLockedError } from '../src/server/db/lock.js';
import { buildApp } from '../src/server/http/app.js';
import { deliverDueMail } from '../src/server/jobs/deliverMail.js';
import { runPayments } from '../src/server/jobs/chargeInvoices.js';
import { mailIssuedInvoices } from '../src/server/jobs/invoiceMail.js';
import { runMonth } from '../src/server/modules/billing/monthlyRun.js';
import { formatMoney } from '../src/server/modules/billing/money.js';
import { createServices } from '../src/server/services.js';
import { TestClock } from '../src/server/shared/clock.js';

/**
 * `npm run demo`: fills a fresh install (the embedded database in DATA_DIR, or DATABASE_URL)
 * with a small world that has history, made through the real API and the real monthly runs
 * with a clock that starts three months ago: a developer hands an App over to a client, the App
 * is scaled up, then moved to a second Company whose card declines and whose accountant reads
 * its invoices. Prints how to sign in.
 */
const PASSWORD = 'correct horse battery staple 42';
const DEV = { email: 'dev@example.com', firstName: 'Dana', lastName: 'Developer' };
const CLIENT = { email: 'client@example.com', firstName: 'Clara', lastName: 'Müller' };
const ACCOUNTANT = { email: 'accountant@example.com', firstName: 'Anna', lastName: 'Berger' };
const CARDS = { ok: '4242424242424242', declines: '4000000000000341' };

class DemoError extends Error {}

function monthsBack(now: Date, n: number): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - n, 1));
  return d.toISOString().slice(0, 7);
}

async function main() {
  const config = loadConfig(process.env, { serving: false });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: path.join(config.dataDir, 'pglite') });
  const realNow = new Date();
  const [m3, m2, m1, m0] = [monthsBack(realNow, 3), monthsBack(realNow, 2), monthsBack(realNow, 1), monthsBack(realNow, 0)];
  const clock = new TestClock(new Date(`${m3}-10T09:00:00Z`));
  const services = await createServices({ ...config, skipWebBuild: true }, { database, clock, log: pino({ level: 'silent' }), rateLimit: false });
  const app = await buildApp(services);
  await app.ready();
  const say = (line: string) => console.log(line);
  try {
    await database.migrate();
    const existing = await services.db.execute(sql`SELECT count(*)::int AS n FROM accounts`);
    if (Number((existing.rows[0] as { n: number }).n) > 0) {
      throw new DemoError(`The database already has accounts; the demo fills a fresh install only. Stop the server and remove ${config.databaseUrl ? 'the PostgreSQL database' : `${config.dataDir}`} first (rm -rf data), then run npm run demo again.`);
    }
    const origin = config.publicUrl;
    const request = async (method: string, url: string, cookie: string | null, payload?: unknown) => {
      const res = await app.inject({ method: method as 'GET', url, headers: { origin, ...(cookie ? { cookie } : {}) }, ...(payload !== undefined ? { payload: payload as object } : {}) });
      if (res.statusCode >= 400) throw new Error(`${method} ${url} answered ${res.statusCode}: ${res.body}`);
      return res;
    };
    const cookieOf = (res: { headers: Record<string, unknown> }) => {
      const raw = res.headers['set-cookie'];
      const list = Array.isArray(raw) ? raw : raw ? [String(raw)] : [];
      return list.map((c: string) => c.split(';')[0]).filter((c: string) => !c.endsWith('=')).join('; ');
    };
    const lastMail = async (to: string, kind: string) => {
      const rows = await services.db.execute(sql`SELECT text_body FROM outbox WHERE to_address = ${to} AND kind = ${kind} ORDER BY id DESC LIMIT 1`);
      const text = (rows.rows[0] as { text_body: string } | undefined)?.text_body;
      const link = text && /https?:\/\/\S+/.exec(text)?.[0];
      if (!link) throw new Error(`no ${kind} mail to ${to}`);
      return new URL(link);
    };
    // Sessions last days, the story months: sign in again at each step.
    const signIn = async (email: string) => cookieOf(await request('POST', '/api/auth/sign-in/email', null, { email, password: PASSWORD }));
    const card = async (number: string) => (await request('POST', '/api/v1/payment-sandbox/tokens', null, { number, expMonth: 12, expYear: realNow.getUTCFullYear() + 3, cvc: '123' })).json().token as string;
    const jobs = async () => {
      await mailIssuedInvoices(services);
      await runPayments(services);
      await deliverDueMail(services.db, services.mail, services.clock, services.log, 500);
    };
    const monthlyRun = async (month: string, at: string) => {
      clock.set(new Date(at));
      const summary = await runMonth(services, month);
      await jobs();
      say(`  ${at.slice(0, 10)}: the monthly run of ${month} issued ${summary.issued} invoice(s)${summary.firstNumber ? ` (${summary.firstNumber}${summary.lastNumber !== summary.firstNumber ? ` to ${summary.lastNumber}` : ''})` : ''}`);
    };

    say(`Filling ${config.databaseUrl ? 'the PostgreSQL database' : `the embedded database in ${config.dataDir}`} with a demo world…`);
    // The developer signs up and builds a site in a trial App.
    await request('POST', '/api/auth/sign-up/email', null, { ...DEV, password: PASSWORD, name: `${DEV.firstName} ${DEV.lastName}`, accountType: 'developer' });
    const verify = await lastMail(DEV.email, 'verify-email');
    const dev = cookieOf(await app.inject({ method: 'GET', url: verify.pathname + verify.search }));
    await request('POST', '/api/v1/apps', dev, { name: 'bakery-shop', region: 'eu1', trial: true });
    say(`  ${m3}-10: ${DEV.firstName} ${DEV.lastName} (developer) builds "bakery-shop" in a trial App and hands it over to ${CLIENT.firstName} ${CLIENT.lastName}`);
    await request('POST', '/api/v1/apps/bakery-shop/client-invitations', dev, { email: CLIENT.email, name: `${CLIENT.firstName} ${CLIENT.lastName}`, plan: { php: 'php-s', database: 'db-s', storage: 'storage-10' } });
    const token = (await lastMail(CLIENT.email, 'client-invitation')).pathname.split('/').pop()!;
    const signedUp = await request('POST', '/api/v1/invitations/sign-up', null, { token, password: PASSWORD, firstName: CLIENT.firstName, lastName: CLIENT.lastName });
    const client = cookieOf(signedUp);
    const bakeryContact = {
      name: 'Bäckerei Müller GmbH', address: { line1: 'Hauptstraße 1', postalCode: '10115', city: 'Berlin', country: 'DE' },
      vatNumber: 'DE136695976', invoiceEmail: 'rechnungen@baeckerei-mueller.example', currency: 'EUR',
    };
    const accepted = await request('POST', '/api/v1/invitations/accept', client, { token, company: { name: 'Bäckerei Müller' }, billingContact: bakeryContact, paymentMethod: { token: await card(CARDS.ok) } });
    void accepted;
    say(`  ${m3}-10: ${CLIENT.firstName} accepts: she owns the Company "Bäckerei Müller" and pays from ${m3}-11; ${DEV.firstName} stays on as admin`);

    await monthlyRun(m3, `${m2}-01T00:10:00Z`);
    clock.set(new Date(`${m2}-05T10:00:00Z`));
    await request('PUT', '/api/v1/apps/bakery-shop/plan', await signIn(DEV.email), { plan: { php: 'php-m', database: 'db-m', storage: 'storage-50' } });
    say(`  ${m2}-05: ${DEV.firstName} scales "bakery-shop" up to the medium plan (from ${m2}-06)`);
    await monthlyRun(m2, `${m1}-01T00:10:00Z`);

    clock.set(new Date(`${m1}-20T10:00:00Z`));
    const clientNow = await signIn(CLIENT.email);
    const catering = (await request('POST', '/api/v1/companies', clientNow, {
      name: 'Müller Catering', paymentMethod: { token: await card(CARDS.declines) },
      billingContact: { ...bakeryContact, name: 'Müller Catering KG', address: { line1: 'Marktplatz 3', postalCode: '80331', city: 'München', country: 'DE' }, vatNumber: undefined, invoiceEmail: 'buchhaltung@mueller-catering.example' },
    })).json().id as string;
    const cateringContact = (await request('GET', `/api/v1/companies/${catering}/billing-contacts`, clientNow)).json().items[0].id as string;
    await request('POST', '/api/v1/apps/bakery-shop/transfer', clientNow, { toCompanyId: catering, billingContactId: cateringContact });
    say(`  ${m1}-20: ${CLIENT.firstName} moves "bakery-shop" to her second Company "Müller Catering" (paid from ${m1}-21; its card declines charges)`);
    // The accountant joins Müller Catering through a team invitation: she sees its billing and invoices, nothing else.
    await request('POST', `/api/v1/companies/${catering}/invitations`, clientNow, { email: ACCOUNTANT.email, role: 'accountant' });
    const teamToken = (await lastMail(ACCOUNTANT.email, 'team-invitation')).pathname.split('/').pop()!;
    const accountant = cookieOf(await request('POST', '/api/v1/invitations/sign-up', null, { token: teamToken, password: PASSWORD, firstName: ACCOUNTANT.firstName, lastName: ACCOUNTANT.lastName }));
    await request('POST', '/api/v1/invitations/accept', accountant, { token: teamToken });
    say(`  ${m1}-20: ${ACCOUNTANT.firstName} ${ACCOUNTANT.lastName} joins "Müller Catering" as its accountant`);
    await monthlyRun(m1, `${m0}-01T00:10:00Z`);

    clock.set(realNow);
    await jobs();
    const invoices = await services.db.execute(sql`SELECT number, month, state, total_cents, currency, buyer->>'name' AS buyer FROM invoices ORDER BY number`);
    say('');
    say('Invoices:');
    for (const row of invoices.rows as { number: string; month: string; state: string; total_cents: number; currency: string; buyer: string }[]) {
      say(`  ${row.number}  ${row.month}  ${row.buyer.padEnd(22)} ${formatMoney(Number(row.total_cents), row.currency).padStart(9)}  ${row.state}`);
    }
    say('');
    say('Done. Start the Dashboard with `npm start` and open ' + config.publicUrl);
    const people: [string, string][] = [
      ['Client (owner of both Companies, sees Billing):', CLIENT.email],
      ['Accountant of "Müller Catering" (sees Billing and invoices, nothing else):', ACCOUNTANT.email],
      ['Developer (admin, sees no Billing):', DEV.email],
    ];
    for (const [who, email] of people) say(`  ${who.padEnd(74)} ${email} / ${PASSWORD}`);
    say(`  Mails (invoices with PDFs, receipts, the failed payment): ${config.publicUrl}/dev/mailbox`);
    say('  To fix the failed payment: sign in as the client, open "Müller Catering", change the card to 4242 4242 4242 4242 and press "Pay now".');
  } finally {
    await app.close();
    await services.close();
  }
}

main().catch((err: unknown) => {
  if (err instanceof DemoError) { console.error(err.message); process.exit(2); }
  if (err instanceof ConfigError) { console.error(`Configuration error: ${err.message}`); process.exit(2); }
  if (err instanceof DataDirLockedError) { console.error(`${err.message} Stop the server first.`); process.exit(3); }
  const database = describeDatabaseError(err, process.env.DATABASE_URL);
  if (database) { console.error(database); process.exit(5); }
  console.error(err);
  process.exit(1);
});
