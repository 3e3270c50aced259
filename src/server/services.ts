import path from 'node:path';
import pino, { type Logger } from 'pino';
import { ConfigError, type Config } from './config.js';
import { openDatabase, type Database, type Db } from './db/client.js';
import { createAuth, type Auth } from './modules/accounts/auth.js';
import { createTransport, type MailTransport } from './modules/mail/transport.js';
import type { PaymentProvider } from './modules/payments/provider.js';
import { SandboxPaymentProvider } from './modules/payments/sandbox.js';
import { StripePaymentProvider } from './modules/payments/stripe.js';
import { loadHostKey, type HostKey } from './ssh/hostKey.js';
import { systemClock, type Clock } from './shared/clock.js';
import { setMailFooter } from './modules/mail/outbox.js';
import { siteInfo } from './modules/site/info.js';
import { IdentityCache, listenForActorChanges } from './http/identityCache.js';
import { PageCache } from './http/pageCache.js';

/** Everything a use-case may need; passed explicitly (STYLE.md: the use-case context). */
export interface Ctx {
  db: Db;
  clock: Clock;
  config: Config;
  log: Logger;
  /** The payment provider; never called inside a database transaction. */
  payments: PaymentProvider;
}

export interface Services extends Ctx {
  database: Database;
  auth: Auth;
  mail: MailTransport;
  /** Git over SSH: the port clone URLs name (the listening one once the server runs), the host key (made on first use). */
  ssh: { port: number; hostKey(): HostKey };
  /** Who a session cookie belongs to, for reads (ADR 0116); emptied on every change. */
  identity: IdentityCache;
  /** The big list pages this process rendered last, by fingerprint (ADR 0120). */
  pages: PageCache;
  /** Resolves once every session or Account change committed before it has emptied `identity`. */
  identitySync(): Promise<void>;
  close(): Promise<void>;
}

/** Never log secrets: cookies, authorisation headers, passwords, tokens. */
export const LOG_REDACT = [
  'req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]',
  '*.password', '*.newPassword', '*.token', '*.currentPassword',
];

/** Tokens travel in some URLs (verification links, /invite/<token>); logs see them blanked. */
export function redactUrl(url: string): string {
  return url
    .replace(/([?&](?:token|code|callbackURL)=)[^&#]*/gi, '$1[redacted]')
    .replace(/\/invite\/[^/?#]+/g, '/invite/[redacted]')
    .replace(/\/reset-password\/[^/?#]+/g, '/reset-password/[redacted]');
}

export function loggerOptions(level: string): pino.LoggerOptions {
  return {
    level,
    redact: { paths: LOG_REDACT, censor: '[redacted]' },
    serializers: {
      req: (req: { method: string; url: string; hostname?: string; ip?: string }) => ({ method: req.method, url: redactUrl(req.url), ip: req.ip }),
    },
  };
}

/** JSON lines for machines; readable lines when a person watches the terminal (LOG_FORMAT=json or pretty forces one). */
export function createLogger(level: string, format: Config['logFormat'] = null): Logger {
  if (format === 'pretty' || (format === null && process.stdout.isTTY)) {
    return pino({
      ...loggerOptions(level),
      transport: { target: 'pino-pretty', options: {
        translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,reqId,req,res,responseTime,mail',
        messageFormat: '{msg}{if req.method} {req.method} {req.url}{end}{if res.statusCode} {res.statusCode}{end}',
      } },
    });
  }
  return pino(loggerOptions(level));
}

export interface ServiceOptions {
  clock?: Clock;
  log?: Logger;
  database?: Database;
  rateLimit?: boolean;
}

export async function createServices(config: Config, opts: ServiceOptions = {}): Promise<Services> {
  const log = opts.log ?? createLogger(config.logLevel, config.logFormat);
  const clock = opts.clock ?? systemClock;
  const database = opts.database ?? await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: path.join(config.dataDir, 'pglite'),
  });
  const db = database.db;
  const auth = createAuth({ config, db, clock, log, rateLimit: opts.rateLimit ?? true });
  const mail = createTransport(config.smtpUrl, config.mailFrom, log);
  const payments = createPaymentProvider(config, db, clock);
  setMailFooter(siteInfo(config));
  const identity = new IdentityCache();
  const listener = await listenForActorChanges(database, identity, log);
  return {
    db, clock, config, log, database, auth, mail, payments,
    ssh: { port: config.sshPort, hostKey: () => loadHostKey(config.dataDir) },
    identity,
    pages: new PageCache(),
    identitySync: () => listener.sync(),
    async close() {
      await listener.close();
      mail.close();
      await database.close();
    },
  };
}

/** The sandbox (default) or Stripe (docs/decisions/0060-stripe.md), behind the same interface. */
function createPaymentProvider(config: Config, db: Db, clock: Clock): PaymentProvider {
  if (config.paymentProvider === 'sandbox') return new SandboxPaymentProvider(db, clock);
  if (!config.stripe) throw new ConfigError('PAYMENT_PROVIDER=stripe needs STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY and STRIPE_WEBHOOK_SECRET.');
  return new StripePaymentProvider(config.stripe);
}
