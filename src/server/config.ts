import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Configuration, parsed and validated once at start (API.md, "Configuration"). */
export interface Config {
  port: number;
  publicUrl: string;
  databaseUrl: string | null;
  dataDir: string;
  smtpUrl: string | null;
  mailFrom: string;
  authSecret: string;
  paymentProvider: 'sandbox' | 'stripe';
  stripeSecretKey: string | null;
  clientInvitationTtlMs: number;
  teamInvitationTtlMs: number;
  trialPeriodMs: number;
  logLevel: string;
  /** Git over SSH (SPEC 4.9): the port (0: off), the host shown in clone URLs, where the repositories live. */
  sshPort: number;
  sshPublicHost: string;
  reposDir: string;
}

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

function parsePort(value: string | undefined, name = 'PORT', fallback = 3000): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 0 || Number(value) > 65535) {
    throw new ConfigError(`${name}="${value}" is not a port number (0 to 65535).`);
  }
  return Number(value);
}

/** A host name or IP address for clone URLs: no scheme, user, port or path. */
function parseHost(name: string, value: string): string {
  if (!/^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])$/.test(value)) {
    throw new ConfigError(`${name}="${value}" is not a host name; give only the name, such as git.example.com (no scheme, port or path).`);
  }
  return value;
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

/** Reads AUTH_SECRET from the environment, or from (or into) DATA_DIR/auth-secret. */
function loadSecret(env: NodeJS.ProcessEnv, dataDir: string): string {
  const given = env.AUTH_SECRET;
  if (given !== undefined && given !== '') {
    if (given.length < 32) throw new ConfigError('AUTH_SECRET must be at least 32 characters long.');
    return given;
  }
  const file = path.join(dataDir, 'auth-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = parsePort(env.PORT);
  const dataDir = path.resolve(env.DATA_DIR || './data');
  const publicUrl = parseUrl('PUBLIC_URL', env.PUBLIC_URL || `http://localhost:${port}`, ['http:', 'https:']).replace(/\/+$/, '');
  const databaseUrl = env.DATABASE_URL ? parseUrl('DATABASE_URL', env.DATABASE_URL, ['postgres:', 'postgresql:']) : null;
  const smtpUrl = env.SMTP_URL ? parseUrl('SMTP_URL', env.SMTP_URL, ['smtp:', 'smtps:']) : null;
  const provider = env.PAYMENT_PROVIDER || 'sandbox';
  if (provider !== 'sandbox' && provider !== 'stripe') {
    throw new ConfigError(`PAYMENT_PROVIDER="${provider}" is not supported; use sandbox or stripe.`);
  }
  const stripeSecretKey = env.STRIPE_SECRET_KEY || null;
  if (provider === 'stripe' && !stripeSecretKey) {
    throw new ConfigError('PAYMENT_PROVIDER=stripe needs STRIPE_SECRET_KEY.');
  }
  return {
    port,
    publicUrl,
    databaseUrl,
    dataDir,
    smtpUrl,
    mailFrom: env.MAIL_FROM || 'Dashboard <no-reply@localhost>',
    authSecret: loadSecret(env, dataDir),
    paymentProvider: provider,
    stripeSecretKey,
    clientInvitationTtlMs: parseDuration('CLIENT_INVITATION_TTL', env.CLIENT_INVITATION_TTL || '72h'),
    teamInvitationTtlMs: parseDuration('TEAM_INVITATION_TTL', env.TEAM_INVITATION_TTL || '7d'),
    trialPeriodMs: parseDuration('TRIAL_PERIOD', env.TRIAL_PERIOD || '7d'),
    logLevel: env.LOG_LEVEL || 'info',
    sshPort: parsePort(env.SSH_PORT, 'SSH_PORT', 2222),
    sshPublicHost: parseHost('SSH_PUBLIC_HOST', env.SSH_PUBLIC_HOST || new URL(publicUrl).hostname),
    reposDir: path.resolve(env.REPOS_DIR || path.join(dataDir, 'repos')),
  };
}
