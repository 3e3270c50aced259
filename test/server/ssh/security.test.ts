import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ssh2 from 'ssh2';
import { parseGitCommand } from '../../../src/server/ssh/command.js';
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
    client.on('ready', () => resolve(client)).on('error', reject);
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
