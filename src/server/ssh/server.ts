import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import ssh2, { type AuthContext, type Connection, type PublicKeyAuthContext } from 'ssh2';
import type { Services } from '../services.js';
import { findSshKey, type SshIdentity } from '../modules/deployments/decideCodeAccess.js';
import { USAGE, runGitCommand } from './gitSession.js';
import { fingerprintOf } from './hostKey.js';

const { Server, utils } = ssh2;

export interface SshServerOptions {
  port: number;
  host?: string;
  /** A connection that has not started a command this long after connecting is closed. */
  idleTimeoutMs?: number;
  maxPerAddress?: number;
  maxPerKey?: number;
}

export interface SshServer { port: number; close(): Promise<void> }

/** Signature algorithms accepted per key type; RSA only with SHA-2 (no SHA-1 `ssh-rsa` signatures). */
function algorithmFits(keyType: string, ctx: PublicKeyAuthContext): boolean {
  if (ctx.key.algo !== keyType) return false;
  return keyType !== 'ssh-rsa' || ctx.hashAlgo === 'sha256' || ctx.hashAlgo === 'sha512';
}

/** The one line a client is shown when none of its keys belongs to an Account (SPEC 4.9). */
export function refusalInstruction(unknownKeys: string[]): string {
  if (unknownKeys.length === 0) return 'No SSH key was offered: add your public key in your Dashboard profile (SSH keys), then connect with it.';
  return `unknown key ${unknownKeys.join(', ')}: add it in your Dashboard profile (SSH keys).`;
}

class Counter {
  private counts = new Map<string, number>();
  take(key: string, max: number): boolean {
    const n = this.counts.get(key) ?? 0;
    if (n >= max) return false;
    this.counts.set(key, n + 1);
    return true;
  }
  give(key: string) {
    const n = (this.counts.get(key) ?? 1) - 1;
    if (n <= 0) this.counts.delete(key); else this.counts.set(key, n);
  }
}

/**
 * The git SSH server (SPEC 4.9), inside the Dashboard process: user `git`, public keys of
 * Accounts only (the key must sign the session: an unsigned offer is only answered "this key
 * would do"), then one git command per connection, allowed or refused from the database.
 * No shell, pty, environment (but GIT_PROTOCOL), agent or X11 forwarding, port forwarding or subsystems.
 */
export async function startSshServer(services: Services, opts: SshServerOptions): Promise<SshServer> {
  const { log } = services;
  const idleTimeoutMs = opts.idleTimeoutMs ?? 30_000;
  const perAddress = new Counter();
  const perKey = new Counter();
  const maxPerAddress = opts.maxPerAddress ?? 20;
  const maxPerKey = opts.maxPerKey ?? 10;
  const clients = new Set<Connection>();

  const server = new Server({ hostKeys: [services.ssh.hostKey().privateKey], ident: 'Dashboard-git' }, (client, info) => {
    const address = info.ip ?? 'unknown';
    if (!perAddress.take(address, maxPerAddress)) {
      log.warn({ ssh: { address } }, 'ssh: too many connections from one address');
      client.end();
      return;
    }
    clients.add(client);
    let identity: SshIdentity | null = null;
    let started = false;
    const idle = setTimeout(() => {
      if (!started) client.end();
    }, idleTimeoutMs);
    client.on('close', () => {
      clearTimeout(idle);
      perAddress.give(address);
      if (identity) perKey.give(identity.keyId);
      clients.delete(client);
    });
    client.on('error', (err) => log.debug({ err: { message: err.message } }, 'ssh: connection error'));

    // Keys offered that belong to no Account. Each is refused, so the client goes on to its next
    // key; once it has none left, it is told why in one line (see the keyboard-interactive case).
    const unknownKeys: string[] = [];
    let told = false;
    client.on('authentication', (ctx: AuthContext) => {
      if (ctx.method === 'keyboard-interactive' && !told && ctx.username === 'git') {
        // Never a login: a round without prompts, only to show the reason (OpenSSH prints the
        // instruction), then refused. Offered only after a refused key or none at all.
        told = true;
        return ctx.prompt([], '', refusalInstruction(unknownKeys), () => ctx.reject(['publickey']));
      }
      if (ctx.method === 'none' && ctx.username === 'git' && !identity) return ctx.reject(told ? ['publickey'] : ['publickey', 'keyboard-interactive']);
      if (ctx.method !== 'publickey' || ctx.username !== 'git' || identity) return ctx.reject(['publickey']);
      authenticate(ctx).catch((err) => {
        log.error({ err }, 'ssh: authentication failed');
        ctx.reject(['publickey']);
      });
    });

    async function authenticate(ctx: PublicKeyAuthContext) {
      const fingerprint = fingerprintOf(ctx.key.data);
      const key = await findSshKey(services, fingerprint);
      const parsed = key ? utils.parseKey(key.publicKey) : null;
      if (!key || !parsed || parsed instanceof Error || Array.isArray(parsed) || !algorithmFits(parsed.type, ctx)) {
        if (!unknownKeys.includes(fingerprint) && unknownKeys.length < 20) unknownKeys.push(fingerprint);
        return ctx.reject(told ? ['publickey'] : ['publickey', 'keyboard-interactive']);
      }
      const blob = parsed.getPublicSSH();
      if (blob.length !== ctx.key.data.length || !timingSafeEqual(blob, ctx.key.data)) return ctx.reject(['publickey']);
      // Without a signature this is only the client asking whether the key would do.
      if (!ctx.signature || !ctx.blob) return ctx.accept();
      // verify() answers an Error object (truthy) on failure: only `true` counts.
      if (parsed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true) return ctx.reject(['publickey']);
      if (!perKey.take(key.id, maxPerKey)) {
        log.warn({ ssh: { keyId: key.id } }, 'ssh: too many connections with one key');
        return ctx.reject(['publickey']);
      }
      identity = { keyId: key.id, accountId: key.accountId, fingerprint };
      ctx.accept();
    }

    // Port forwarding (both directions) and Unix socket forwarding are refused.
    client.on('tcpip', (_accept, reject) => reject());
    client.on('openssh.streamlocal', (_accept, reject) => reject());
    client.on('request', (_accept, reject) => reject?.());

    client.on('session', (accept) => {
      const session = accept();
      let gitProtocol: string | null = null;
      session.on('env', (acceptEnv, rejectEnv, { key, val }) => {
        // git asks for protocol v2 this way; nothing else reaches the environment.
        if (key === 'GIT_PROTOCOL' && /^version=[0-2]$/.test(val)) {
          gitProtocol = val;
          acceptEnv?.();
        } else {
          // The name only (short, printable): a value may be a secret.
          log.debug({ ssh: { refused: 'env', name: /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(key) ? key : '(odd name)' } }, 'ssh: environment variable refused');
          rejectEnv?.();
        }
      });
      for (const request of ['pty', 'x11', 'auth-agent', 'signal', 'sftp', 'subsystem', 'window-change'] as const) {
        session.on(request, (_a: unknown, reject?: () => void) => reject?.());
      }
      session.on('shell', (acceptShell) => {
        started = true;
        const channel = acceptShell();
        channel.stderr.write(`${USAGE}\n`);
        channel.exit(1);
        channel.end();
      });
      session.on('exec', (acceptExec, _reject, { command }) => {
        started = true;
        const channel = acceptExec();
        if (!identity) {
          channel.exit(1);
          channel.end();
          return;
        }
        runGitCommand(services, identity, channel, command, gitProtocol).catch((err) => {
          log.error({ err }, 'ssh: git command failed');
          try {
            channel.stderr.write('Something went wrong on the server; please try again.\n');
            channel.exit(1);
            channel.end();
          } catch { /* the channel is gone */ }
        });
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err: Error) => log.error({ err }, 'ssh: server error'));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const client of clients) client.end();
      });
    },
  };
}
