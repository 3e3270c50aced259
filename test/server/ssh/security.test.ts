import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ssh2 from 'ssh2';
import { parseGitCommand } from '../../../src/server/ssh/command.js';
import { startSshServer } from '../../../src/server/ssh/server.js';
import { createTrial } from '../../harness/factories.js';
import { signUpVerified } from '../../harness/testApp.js';
import { clone, makeKey, sshCommand, startGitWorld, type GitWorld } from './gitHarness.js';

/** Issue 13: everything but git-upload-pack / git-receive-pack on an App's repository is refused. */
let w: GitWorld;
let app: string;
let key: { file: string };
beforeAll(async () => {
  w = await startGitWorld({ idleTimeoutMs: 1_000 });
  const dev = await signUpVerified(w.t);
  app = await createTrial(w.t, dev);
  key = await makeKey(w, dev);
  expect((await clone(w, key.file, app)).code).toBe(0);
});
afterAll(async () => { await w?.close(); });

const USAGE = 'This server only serves git';

function repos(): string[] {
  return readdirSync(w.t.services.config.reposDir).sort();
}

/** Connects with the ssh2 client library for what OpenSSH cannot send (a NUL, password auth, forwarding). */
function connect(config: Partial<ssh2.ConnectConfig>): Promise<ssh2.Client> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client.on('ready', () => resolve(client)).on('error', reject).on('close', () => reject(new Error('connection closed')));
    client.connect({ host: '127.0.0.1', port: w.ssh.port, username: 'git', readyTimeout: 5_000, ...config });
  });
}

function withKey() {
  return connect({ privateKey: readFileSync(key.file) });
}

function execOver(client: ssh2.Client, command: string): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, stream) => {
      if (err) return reject(err);
      let stdout = '';
      let stderr = '';
      let code: number | null = null;
      stream.on('data', (d: Buffer) => { stdout += d; });
      stream.stderr.on('data', (d: Buffer) => { stderr += d; });
      stream.on('exit', (c: number) => { code = c; });
      stream.on('close', () => resolve({ code, stdout, stderr }));
    });
  });
}

describe('commands (issue 13)', () => {
  it('a shell request gets a one-line explanation and no shell', async () => {
    const result = await sshCommand(w, key.file, null, ['-T']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(USAGE);
    const withPty = await sshCommand(w, key.file, null, ['-tt']);
    // A terminal is refused too; OpenSSH gives up on a forced one (-tt).
    expect(withPty.code, withPty.stderr).not.toBe(0);
    expect(withPty.stderr).toMatch(/PTY allocation request failed/);
  });

  it('any other command is refused', async () => {
    for (const command of ['ls /', 'git-upload-pack', 'git upload-pack ' + `'${app}.git'`, 'sh -c id', `git-upload-pack '${app}.git' && id`]) {
      const result = await sshCommand(w, key.file, command);
      expect(result.code, command).toBe(1);
      expect(result.stderr, command).toContain(USAGE);
      expect(result.stdout, command).toBe('');
    }
  });

  it('path traversal and odd App names are refused before the file system is touched', async () => {
    const before = repos();
    const names = [
      "git-upload-pack '../x.git'", "git-upload-pack '/../../etc/passwd.git'", `git-upload-pack '${app}.git; rm -rf /'`,
      `git-receive-pack '${app.toUpperCase()}.git'`, `git-upload-pack '${app}/../${app}.git'`, `git-upload-pack "${app}.git"`,
      `git-upload-pack ${app}.git`, `git-upload-pack '//${app}.git'`, "git-upload-pack 'a--b.git'", "git-upload-pack 'ab.git'",
    ];
    for (const command of names) {
      const result = await sshCommand(w, key.file, command);
      expect(result.code, command).toBe(1);
      expect(result.stderr, command).toContain(USAGE);
    }
    const client = await withKey();
    try {
      const nul = await execOver(client, `git-upload-pack '${app}\0.git'`);
      expect(nul.code).toBe(1);
      expect(nul.stderr).toContain(USAGE);
    } finally {
      client.end();
    }
    expect(repos()).toEqual(before);
    // Refused commands are not written to the log: they may carry anything.
    expect(w.t.logs.join('\n')).not.toContain('rm -rf');
    expect(w.t.logs.join('\n')).toContain('ssh: command refused');
  });

  it('the allow-list parser accepts exactly the two git commands on valid App names', () => {
    expect(parseGitCommand("git-upload-pack 'shop.git'")).toEqual({ service: 'git-upload-pack', appName: 'shop' });
    expect(parseGitCommand("git-receive-pack '/shop-2.git'")).toEqual({ service: 'git-receive-pack', appName: 'shop-2' });
    for (const bad of ["git-upload-pack 'shop.git' ", " git-upload-pack 'shop.git'", "git-upload-pack 'shop'", "git-upload-archive 'shop.git'", "git-upload-pack 'sh\nop.git'", "git-upload-pack '-shop.git'"]) {
      expect(parseGitCommand(bad), JSON.stringify(bad)).toBeNull();
    }
  });
});

describe('authentication and channels (issue 13)', () => {
  it('password and keyboard-interactive logins are refused', async () => {
    await expect(connect({ password: 'correct horse battery staple 42', tryKeyboard: true })).rejects.toThrow(/authentication methods failed/);
  });

  it('another user name than git is refused, even with a valid key', async () => {
    await expect(connect({ username: 'root', privateKey: readFileSync(key.file) })).rejects.toThrow(/authentication methods failed/);
  });

  it('port forwarding is refused in both directions', async () => {
    const client = await withKey();
    try {
      await expect(new Promise((resolve, reject) => client.forwardOut('127.0.0.1', 1234, '127.0.0.1', 5432, (err, stream) => (err ? reject(err) : resolve(stream)))))
        .rejects.toThrow(/prohibited|failed|open/i);
      await expect(new Promise((resolve, reject) => client.forwardIn('127.0.0.1', 0, (err, port) => (err ? reject(err) : resolve(port)))))
        .rejects.toThrow(/Unable to bind|failed|rejected/i);
    } finally {
      client.end();
    }
    const local = await sshCommand(w, key.file, null, ['-N', '-o', 'ExitOnForwardFailure=yes', '-R', '0:127.0.0.1:9']);
    expect(local.code).not.toBe(0);
    expect(local.stderr).toMatch(/forwarding failed/i);
  });

  it('a connection that authenticates but never runs a command is closed after the idle timeout', async () => {
    const client = await withKey();
    const closedAfter = await new Promise<number>((resolve) => {
      const started = Date.now();
      client.on('close', () => resolve(Date.now() - started));
    });
    expect(closedAfter).toBeLessThan(5_000);
  });
});

describe('requests on a session and unproven keys (issue 13)', () => {
  function execWith(client: ssh2.Client, command: string, opts: ssh2.ExecOptions): Promise<{ error?: Error; code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      client.exec(command, opts, (err, stream) => {
        if (err) return resolve({ error: err, code: null, stdout: '', stderr: '' });
        let stdout = '';
        let stderr = '';
        let code: number | null = null;
        stream.on('data', (d: Buffer) => { stdout += d; });
        stream.stderr.on('data', (d: Buffer) => { stderr += d; });
        stream.on('exit', (c: number) => { code = c; });
        stream.on('close', () => resolve({ code, stdout, stderr }));
        stream.end();
      });
    });
  }

  it('environment variables are refused (only GIT_PROTOCOL=version=N reaches git), and their values are not logged', async () => {
    const client = await withKey();
    try {
      const result = await execWith(client, `git-upload-pack '${app}.git'`, {
        env: { GIT_DIR: '/etc', LD_PRELOAD: '/tmp/evil.so', GIT_PROTOCOL: 'version=0', SECRET_TOKEN: 'hunter2-value' },
      });
      // git ran on the App's repository (it advertised refs, and no GIT_DIR moved it to /etc), then ended with our closed stdin.
      expect(result.error).toBeUndefined();
      expect(result.stdout).toMatch(/^[0-9a-f]{4}/);
    } finally {
      client.end();
    }
    const logs = w.t.logs.join('\n');
    for (const name of ['GIT_DIR', 'LD_PRELOAD', 'SECRET_TOKEN']) expect(logs).toMatch(new RegExp(`"name":"${name}".*environment variable refused`));
    expect(logs).not.toContain('hunter2-value');
    expect(logs).not.toContain('/tmp/evil.so');
  });

  it('X11 and agent forwarding are refused, and nothing runs', async () => {
    const client = await withKey();
    try {
      const x11 = await execWith(client, `git-upload-pack '${app}.git'`, { x11: true });
      expect(x11.error?.message).toMatch(/X11/i);
    } finally {
      client.end();
    }
    const agentClient = await connect({ privateKey: readFileSync(key.file), agent: '/nonexistent-agent.sock', agentForward: true });
    try {
      const agent = await execWith(agentClient, `git-upload-pack '${app}.git'`, {});
      expect(agent.error?.message).toMatch(/agent forwarding/i);
    } finally {
      agentClient.end();
    }
  });

  it('an offered key without a signature is only answered "it would do": no login', async () => {
    const publicOnly = ssh2.utils.parseKey(readFileSync(`${key.file}.pub`, 'utf8'));
    if (publicOnly instanceof Error || Array.isArray(publicOnly)) throw new Error('key');
    // ssh2 offers the key unsigned first; told it would do, it must sign, which a public key cannot.
    const probing = connect({ authHandler: [{ type: 'publickey', username: 'git', key: publicOnly } as never] });
    await expect(probing).rejects.toThrow(/Error signing data with key|authentication methods failed/);
  });

  it('a signature that does not verify is refused (verify() answers an Error object, which is truthy)', async () => {
    const publicOnly = ssh2.utils.parseKey(readFileSync(`${key.file}.pub`, 'utf8'));
    if (publicOnly instanceof Error || Array.isArray(publicOnly)) throw new Error('key');
    const forged = Object.create(publicOnly, { sign: { value: () => randomBytes(64) }, isPrivateKey: { value: () => true } });
    await expect(connect({ authHandler: [{ type: 'publickey', username: 'git', key: forged } as never] })).rejects.toThrow(/authentication methods failed/);
  });
});

describe('connection limits (issue 13)', () => {
  it('refuses more concurrent connections per key and per address than allowed, and frees them on close', async () => {
    const limited = await startSshServer(w.t.services, { port: 0, host: '127.0.0.1', maxPerKey: 2, maxPerAddress: 3 });
    const dev2 = await signUpVerified(w.t);
    const other = await makeKey(w, dev2);
    const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
    const open = (file: string) => connect({ port: limited.port, privateKey: readFileSync(file) });
    const clients: ssh2.Client[] = [];
    try {
      clients.push(await open(key.file), await open(key.file));
      await expect(open(key.file)).rejects.toThrow(/authentication methods failed/);
      // The refused connection holds its address slot until the server has seen it close.
      await settle();
      clients.push(await open(other.file));
      // The fourth connection from 127.0.0.1 is closed before authentication.
      await expect(open(other.file)).rejects.toThrow();
      expect(w.t.logs.join('\n')).toContain('ssh: too many connections with one key');
      expect(w.t.logs.join('\n')).toContain('ssh: too many connections from one address');
      const first = clients.shift()!;
      await new Promise<void>((resolve) => { first.on('close', () => resolve()); first.end(); });
      await settle();
      clients.push(await open(key.file));
    } finally {
      for (const c of clients) c.end();
      await limited.close();
    }
  });
});
