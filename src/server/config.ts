import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';

/**
 * Configuration, parsed and validated once at start (docs/configuration.md). Every value is
 * checked here; a bad one stops the server with a sentence that names the variable.
 */
export interface Config {
  /** Address the HTTP server binds; 127.0.0.1 unless HOST says otherwise. */
  host: string;
  port: number;
  publicUrl: string;
  databaseUrl: string | null;
  dataDir: string;
  smtpUrl: string | null;
  mailFrom: string;
  authSecret: string;
  paymentProvider: 'sandbox' | 'stripe';
  stripeSecretKey: string | null;
  /** The Stripe keys and API base (SPEC 4.11, docs/decisions/0060-stripe.md); null with the sandbox. */
  stripe: StripeConfig | null;
  clientInvitationTtlMs: number;
  teamInvitationTtlMs: number;
  trialPeriodMs: number;
  logLevel: LogLevel;
  /** `null`: readable lines in a terminal, JSON lines otherwise. */
  logFormat: 'json' | 'pretty' | null;
  /**
   * Which proxies' X-Forwarded-For is believed (Fastify's trustProxy): `false` (the socket's
   * address), a hop count, or a list of addresses, CIDR ranges and the names `loopback`,
   * `linklocal`, `uniquelocal`.
   */
  trustProxy: false | number | string[];
  /** NODE_ENV=production: no dev mailbox, SMTP required. */
  production: boolean;
  skipWebBuild: boolean;
  /** Git over SSH (SPEC 4.9): the port (0: off), the host shown in clone URLs, where the repositories live. */
  sshPort: number;
  sshPublicHost: string;
  reposDir: string;
  /** The invoicing party printed on every invoice (SPEC 4.8), and the prefix of its number sequence. */
  seller: SellerConfig;
  /** SPEC 4.13: Apps answer at `https://<name>.<appsDomain>` (lowercase, no trailing dot). */
  appsDomain: string;
  /** The resolver that verifies domains (`1.2.3.4:53`, `[::1]:5353`); null: the system's. */
  dnsResolver: string | null;
}

export interface StripeConfig {
  secretKey: string;
  publishableKey: string;
  webhookSecret: string;
  /** STRIPE_API_BASE, mapped to the client's host, port and protocol; null: Stripe's own. */
  apiBase: { host: string; port: number; protocol: 'http' | 'https' } | null;
}

const STRIPE_KEYS: { name: string; field: keyof Omit<StripeConfig, 'apiBase'>; pattern: RegExp; looks: string }[] = [
  { name: 'STRIPE_SECRET_KEY', field: 'secretKey', pattern: /^(sk|rk)_(test|live)_[A-Za-z0-9]{10,}$/, looks: 'sk_test_… or sk_live_… (a restricted rk_… key works too)' },
  { name: 'STRIPE_PUBLISHABLE_KEY', field: 'publishableKey', pattern: /^pk_(test|live)_[A-Za-z0-9]{10,}$/, looks: 'pk_test_… or pk_live_…' },
  { name: 'STRIPE_WEBHOOK_SECRET', field: 'webhookSecret', pattern: /^whsec_[A-Za-z0-9+/=]{10,}$/, looks: 'whsec_… (the signing secret of the webhook endpoint)' },
];

/** PAYMENT_PROVIDER=stripe: every key present and well-formed, test and live keys not mixed. */
function parseStripe(env: NodeJS.ProcessEnv, problems: string[]): StripeConfig | null {
  const found: Partial<StripeConfig> = {};
  for (const key of STRIPE_KEYS) {
    const value = env[key.name]?.trim();
    if (!value) problems.push(`PAYMENT_PROVIDER=stripe needs ${key.name}: copy it from the Stripe Dashboard (Developers → API keys, or the webhook endpoint); it looks like ${key.looks}.`);
    else if (!key.pattern.test(value)) problems.push(`${key.name} is not a Stripe key of the right kind; it should look like ${key.looks}.`);
    else found[key.field] = value;
  }
  if (found.secretKey && found.publishableKey && found.secretKey.includes('_live_') !== found.publishableKey.includes('_live_')) {
    problems.push('STRIPE_SECRET_KEY and STRIPE_PUBLISHABLE_KEY must both be test keys or both be live keys.');
  }
  let apiBase: StripeConfig['apiBase'] = null;
  if (env.STRIPE_API_BASE) {
    try {
      const url = new URL(parseUrl('STRIPE_API_BASE', env.STRIPE_API_BASE, ['http:', 'https:']));
      if (url.pathname !== '/' || url.search || url.username) throw new ConfigError(`STRIPE_API_BASE="${env.STRIPE_API_BASE}" must be only a scheme, host and port, such as https://api.stripe.com or http://127.0.0.1:12111.`);
      const protocol = url.protocol === 'http:' ? 'http' : 'https';
      apiBase = { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port || (protocol === 'http' ? 80 : 443)), protocol };
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(err.message);
    }
  }
  if (!found.secretKey || !found.publishableKey || !found.webhookSecret) return null;
  return { secretKey: found.secretKey, publishableKey: found.publishableKey, webhookSecret: found.webhookSecret, apiBase };
}

export interface SellerConfig {
  name: string; addressLines: string[]; country: string; vatId: string | null; invoicePrefix: string;
  /** SELLER_TERMS_URL / SELLER_PRIVACY_URL; null: the Dashboard's own /terms and /privacy pages. */
  termsUrl: string | null; privacyUrl: string | null;
}

/** A sample seller in Germany, so a fresh install issues complete invoices; set SELLER_* for a real one. */
export const SAMPLE_SELLER: SellerConfig = {
  name: 'Dashboard Hosting GmbH', addressLines: ['Friedrichstraße 123', '10117 Berlin'], country: 'DE', vatId: 'DE811907980', invoicePrefix: 'INV',
  termsUrl: null, privacyUrl: null,
};

function parseSeller(env: NodeJS.ProcessEnv): SellerConfig {
  const name = env.SELLER_NAME?.trim() || SAMPLE_SELLER.name;
  const addressLines = env.SELLER_ADDRESS?.trim()
    ? env.SELLER_ADDRESS.split(/\s*(?:\n|\\n|;)\s*/).map((l) => l.trim()).filter(Boolean)
    : SAMPLE_SELLER.addressLines;
  const country = (env.SELLER_COUNTRY?.trim() || SAMPLE_SELLER.country).toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) throw new ConfigError(`SELLER_COUNTRY="${env.SELLER_COUNTRY}" is not a two-letter country code; use one such as DE.`);
  const vatRaw = env.SELLER_VAT_ID === undefined ? SAMPLE_SELLER.vatId : env.SELLER_VAT_ID.trim().toUpperCase().replace(/[\s.-]/g, '');
  const invoicePrefix = env.INVOICE_NUMBER_PREFIX?.trim() || SAMPLE_SELLER.invoicePrefix;
  if (!/^[A-Z0-9]{1,10}$/.test(invoicePrefix)) {
    throw new ConfigError(`INVOICE_NUMBER_PREFIX="${env.INVOICE_NUMBER_PREFIX}" must be 1 to 10 capital letters or digits, such as INV; numbers look like INV-2026-000042.`);
  }
  if (name.length > 200 || addressLines.length > 5) throw new ConfigError('SELLER_NAME is limited to 200 characters and SELLER_ADDRESS to 5 lines (separate lines with ";").');
  return { name, addressLines, country, vatId: vatRaw || null, invoicePrefix, termsUrl: pageUrl(env, 'SELLER_TERMS_URL'), privacyUrl: pageUrl(env, 'SELLER_PRIVACY_URL') };
}

/** An absolute http(s) URL of the seller's own page, or null for the Dashboard's page. */
function pageUrl(env: NodeJS.ProcessEnv, name: 'SELLER_TERMS_URL' | 'SELLER_PRIVACY_URL'): string | null {
  const value = env[name]?.trim();
  if (!value) return null;
  let url: URL;
  try { url = new URL(value); } catch { throw new ConfigError(`${name}="${value}" is not a URL; use a full address such as https://example.com/terms.`); }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(`${name}="${value}" must start with https:// (or http://).`);
  return url.toString();
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses durations such as `90s`, `15m`, `72h`, `7d`. */
export function parseDuration(name: string, value: string): number {
  const match = /^(\d{1,9})(s|m|h|d)$/.exec(value.trim());
  if (!match || Number(match[1]) === 0) {
    throw new ConfigError(`${name}="${value}" is not a duration; use a positive number with s, m, h or d, such as 90s, 15m, 72h or 7d.`);
  }
  return Number(match[1]) * UNITS[match[2]];
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 3000;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    throw new ConfigError(`PORT="${value}" is not a port number; use a number from 1 to 65535, such as 3000.`);
  }
  if (Number(value) === 0) {
    throw new ConfigError('PORT=0 would listen on a random port that the links in mails (PUBLIC_URL) cannot name; choose a port from 1 to 65535, such as 3000.');
  }
  return Number(value);
}

function parseHost(value: string | undefined): string {
  if (value === undefined || value === '') return '127.0.0.1';
  const host = value.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) || /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(host)) return host;
  throw new ConfigError(`HOST="${value}" is not an address to listen on; use 127.0.0.1 (this machine only, the default), 0.0.0.0 (every interface) or an address of this machine.`);
}

/** SSH_PORT: 2222 by default; 0 turns the git SSH server off. */
function parseSshPort(value: string | undefined): number {
  if (value === undefined || value === '') return 2222;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    throw new ConfigError(`SSH_PORT="${value}" is not a port number; use a number from 1 to 65535, such as 2222, or 0 to turn git over SSH off.`);
  }
  return Number(value);
}

/** SSH_PUBLIC_HOST: only a host name or address for clone URLs (no scheme, user, port or path). */
function parsePublicHost(value: string): string {
  const host = value.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) || /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(host)) {
    return isIP(host) === 6 ? `[${host}]` : host;
  }
  throw new ConfigError(`SSH_PUBLIC_HOST="${value}" is not a host name; give only the name developers connect to, such as git.example.com (no scheme, port or path).`);
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * APPS_DOMAIN: a host name under which every App gets its own name (SPEC 4.13). At most 200
 * characters, so `<name>.<APPS_DOMAIN>` stays within the 253 of a host name.
 */
export function parseAppsDomain(value: string | undefined): string {
  if (value === undefined || value.trim() === '') return 'apps.localhost';
  const domain = value.trim().toLowerCase();
  if (domain.length > 200 || !HOST_NAME.test(domain) || isIP(domain) || /^\d+$/.test(domain.split('.').pop()!)) {
    throw new ConfigError(`APPS_DOMAIN="${value}" is not a host name; give the domain under which Apps are served, such as apps.example.com (no scheme, port, path or trailing dot; at most 200 characters).`);
  }
  return domain;
}

/** DNS_RESOLVER: an IP address with an optional port (`1.2.3.4`, `1.2.3.4:53`, `[::1]:5353`); unset: the system's resolver. */
export function parseDnsResolver(value: string | undefined): string | null {
  if (value === undefined || value.trim() === '') return null;
  const trimmed = value.trim();
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+))(?::(\d{1,5}))?$/.exec(trimmed) ?? (isIP(trimmed) === 6 ? [trimmed, trimmed, undefined, undefined] : null);
  const address = match?.[1] ?? match?.[2];
  const port = match?.[3];
  const family = address ? isIP(address) : 0;
  if (!address || !family || (match?.[2] && family !== 4) || (port !== undefined && (Number(port) < 1 || Number(port) > 65535))) {
    throw new ConfigError(`DNS_RESOLVER="${value}" is not a resolver address; give an IP address with an optional port, such as 1.1.1.1, 127.0.0.1:5353 or [::1]:53 (a host name cannot be used), or leave it unset for the system's resolver.`);
  }
  const host = family === 6 ? `[${address}]` : address;
  return `${host}:${port ?? 53}`;
}

function parseUrl(name: string, value: string, protocols: string[]): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name}="${value}" is not a URL.`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(`${name} must start with ${protocols.map((p) => p + '//').join(' or ')}.`);
  }
  return value;
}

/** `Name <address>` or a bare address, as the From header of every mail. */
function parseMailFrom(value: string | undefined): string {
  if (value === undefined || value === '') return 'Dashboard <no-reply@localhost>';
  const address = /^[^<>@]*<([^<>\s]+)>$/.exec(value.trim())?.[1] ?? value.trim();
  if (!/^[^\s@<>",;]+@[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(address)) {
    throw new ConfigError(`MAIL_FROM="${value}" is not a sender address; use an address such as no-reply@example.com or Dashboard <no-reply@example.com>.`);
  }
  return value.trim();
}

function parseLogLevel(value: string | undefined): LogLevel {
  if (value === undefined || value === '') return 'info';
  const level = value.toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new ConfigError(`LOG_LEVEL="${value}" is not a log level; use one of ${LOG_LEVELS.join(', ')}.`);
  }
  return level as LogLevel;
}

function parseLogFormat(value: string | undefined): Config['logFormat'] {
  if (value === undefined || value === '') return null;
  if (value === 'json' || value === 'pretty') return value;
  throw new ConfigError(`LOG_FORMAT="${value}" is not a log format; use json (JSON lines) or pretty (readable lines), or leave it unset to choose by terminal.`);
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isCidr(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** TRUST_PROXY: unset (the socket's address), a hop count, or `loopback` / a CIDR list. */
export function parseTrustProxy(value: string | undefined): Config['trustProxy'] {
  if (value === undefined || value.trim() === '') return false;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) {
    if (Number(trimmed) < 1 || Number(trimmed) > 20) {
      throw new ConfigError(`TRUST_PROXY="${value}" as a hop count must be from 1 to 20 (the number of proxies in front of the Dashboard); leave it unset when there is none.`);
    }
    return Number(trimmed);
  }
  const entries = trimmed.split(',').map((e) => e.trim()).filter(Boolean);
  const bad = entries.filter((e) => !PROXY_NAMES.has(e) && !isCidr(e));
  if (bad.length || entries.length === 0) {
    throw new ConfigError(`TRUST_PROXY="${value}" names no proxies we understand (${bad.join(', ') || 'empty'}); use loopback, a comma-separated list of addresses or CIDR ranges such as 10.0.0.0/8,192.168.1.5, or a hop count such as 1.`);
  }
  return entries;
}

function parseFlag(name: string, value: string | undefined): boolean {
  if (value === undefined || value === '' || value === '0') return false;
  if (value === '1') return true;
  throw new ConfigError(`${name}="${value}" is not understood; use 1 (on) or leave it unset (off).`);
}

/** DATA_DIR must be a folder we can create and write; a file in its place is refused. */
function ensureDataDir(dir: string, raw: string | undefined, create = true) {
  const shown = raw || './data';
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) {
      throw new ConfigError(`DATA_DIR="${shown}" is a file, not a folder; point DATA_DIR at a folder (it is created if missing).`);
    }
    return;
  }
  if (!create) return;
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOTDIR' || code === 'EEXIST' ? 'a part of that path is a file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code;
    throw new ConfigError(`DATA_DIR="${shown}" cannot be created (${why}); point DATA_DIR at a folder this user may write.`);
  }
}

/** Reads AUTH_SECRET from the environment, or from (or into) DATA_DIR/auth-secret. */
function loadSecret(env: NodeJS.ProcessEnv, dataDir: string, rawDataDir: string | undefined): string {
  const given = env.AUTH_SECRET;
  if (given !== undefined && given !== '') {
    if (given.length < 32) throw new ConfigError('AUTH_SECRET must be at least 32 characters long.');
    return given;
  }
  const file = path.join(dataDir, 'auth-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  ensureDataDir(dataDir, rawDataDir);
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

/**
 * Runs every check and reports all bad variables at once, so an operator fixes them in one go.
 * The DATA_DIR and AUTH_SECRET checks come last: they may create the folder and the secret.
 * `serving: false` (operator commands such as `npm run migrate`) skips what only the server needs.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, opts: { serving?: boolean } = {}): Config {
  const serving = opts.serving ?? true;
  const problems: string[] = [];
  const check = <T>(fn: () => T, fallback: T): T => {
    try {
      return fn();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(err.message);
      return fallback;
    }
  };
  const port = check(() => parsePort(env.PORT), 3000);
  const host = check(() => parseHost(env.HOST), '127.0.0.1');
  const dataDir = path.resolve(env.DATA_DIR || './data');
  const publicUrl = check(() => parseUrl('PUBLIC_URL', env.PUBLIC_URL || `http://localhost:${port}`, ['http:', 'https:']).replace(/\/+$/, ''), 'http://localhost');
  const databaseUrl = env.DATABASE_URL ? check(() => parseUrl('DATABASE_URL', env.DATABASE_URL!, ['postgres:', 'postgresql:']), null) : null;
  const smtpUrl = env.SMTP_URL ? check(() => parseUrl('SMTP_URL', env.SMTP_URL!, ['smtp:', 'smtps:']), null) : null;
  const production = env.NODE_ENV === 'production';
  if (serving && production && !env.SMTP_URL) {
    problems.push('NODE_ENV=production needs SMTP_URL: without a mail server, mails would only reach the development mailbox, which production never serves (docs/decisions/0020-no-dev-mailbox-in-production.md). Set SMTP_URL, e.g. smtp://user:password@mail.example.com:587.');
  }
  const mailFrom = check(() => parseMailFrom(env.MAIL_FROM), '');
  const provider = env.PAYMENT_PROVIDER || 'sandbox';
  if (provider !== 'sandbox' && provider !== 'stripe') {
    problems.push(`PAYMENT_PROVIDER="${provider}" is not supported; use sandbox or stripe.`);
  }
  const stripe = provider === 'stripe' ? parseStripe(env, problems) : null;
  const stripeSecretKey = stripe?.secretKey ?? null;
  const clientInvitationTtlMs = check(() => parseDuration('CLIENT_INVITATION_TTL', env.CLIENT_INVITATION_TTL || '72h'), 0);
  const teamInvitationTtlMs = check(() => parseDuration('TEAM_INVITATION_TTL', env.TEAM_INVITATION_TTL || '7d'), 0);
  const trialPeriodMs = check(() => parseDuration('TRIAL_PERIOD', env.TRIAL_PERIOD || '7d'), 0);
  const logLevel = check(() => parseLogLevel(env.LOG_LEVEL), 'info');
  const logFormat = check(() => parseLogFormat(env.LOG_FORMAT), null);
  const trustProxy = check(() => parseTrustProxy(env.TRUST_PROXY), false);
  const skipWebBuild = check(() => parseFlag('SKIP_WEB_BUILD', env.SKIP_WEB_BUILD), false);
  const sshPort = check(() => parseSshPort(env.SSH_PORT), 2222);
  const sshPublicHost = check(() => parsePublicHost(env.SSH_PUBLIC_HOST || new URL(publicUrl).hostname), 'localhost');
  const seller = check(() => parseSeller(env), SAMPLE_SELLER);
  const appsDomain = check(() => parseAppsDomain(env.APPS_DOMAIN), 'apps.localhost');
  const dnsResolver = check(() => parseDnsResolver(env.DNS_RESOLVER), null);
  if (problems.length) throw new ConfigError(problems.join('\n'));
  // Only with everything else valid: the secret may be written into DATA_DIR.
  ensureDataDir(dataDir, env.DATA_DIR, false);
  const authSecret = loadSecret(env, dataDir, env.DATA_DIR);
  return {
    host, port, publicUrl, databaseUrl, dataDir, smtpUrl, mailFrom, authSecret,
    paymentProvider: provider as Config['paymentProvider'], stripeSecretKey, stripe,
    clientInvitationTtlMs, teamInvitationTtlMs, trialPeriodMs,
    logLevel, logFormat, trustProxy, production, skipWebBuild,
    sshPort, sshPublicHost, reposDir: path.resolve(env.REPOS_DIR || path.join(dataDir, 'repos')),
    seller, appsDomain, dnsResolver,
  };
}
