import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import { startSshServer, type SshServer } from '../../../src/server/ssh/server.js';
import { as, createTestApp, type SignedIn, type TestApp } from '../../harness/testApp.js';

/**
 * The real server (HTTP on inject, SSH on a free loopback port) and the real `git` and `ssh`
 * clients, each Account with its own ed25519 key made by ssh-keygen.
 */
export interface GitWorld {
  t: TestApp;
  ssh: SshServer;
  dir: string;
  knownHosts: string;
  close(): Promise<void>;
}

export async function startGitWorld(opts: { idleTimeoutMs?: number } = {}): Promise<GitWorld> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dash-git-'));
  const t = await createTestApp({ env: { DATA_DIR: path.join(dir, 'data'), REPOS_DIR: path.join(dir, 'repos'), SSH_PUBLIC_HOST: '127.0.0.1' } });
  const ssh = await startSshServer(t.services, { port: 0, host: '127.0.0.1', idleTimeoutMs: opts.idleTimeoutMs });
  t.services.ssh.port = ssh.port;
  const parsed = ssh2.utils.parseKey(t.services.ssh.hostKey().privateKey);
  if (parsed instanceof Error || Array.isArray(parsed)) throw new Error('host key');
  const knownHosts = path.join(dir, 'known_hosts');
  writeFileSync(knownHosts, `[127.0.0.1]:${ssh.port} ${parsed.type} ${parsed.getPublicSSH().toString('base64')}\n`);
  return {
    t, ssh, dir, knownHosts,
    async close() {
      await ssh.close();
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Run { code: number; stdout: string; stderr: string }

export function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { cwd: opts.cwd, env: opts.env, timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException & { code?: unknown }).code === 'number' ? (err as unknown as { code: number }).code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

let keyCount = 0;

/** A developer's key pair on disk; the public key is added to the Account through the API unless `add` is false. */
export async function makeKey(w: GitWorld, who: SignedIn | null, add = true): Promise<{ file: string; publicKey: string; id?: string; fingerprint?: string }> {
  const file = path.join(w.dir, `key${++keyCount}`);
  const made = await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `test${keyCount}`, '-f', file]);
  if (made.code !== 0) throw new Error(`ssh-keygen failed: ${made.stderr}`);
  const publicKey = readFileSync(`${file}.pub`, 'utf8').trim();
  if (!add || !who) return { file, publicKey };
  const res = await as(w.t, who).post('/api/v1/me/ssh-keys', { title: `key ${keyCount}`, publicKey });
  if (res.statusCode !== 201) throw new Error(`add key failed: ${res.statusCode} ${res.body}`);
  return { file, publicKey, id: res.json().id, fingerprint: res.json().fingerprint };
}

/**
 * OpenSSH client arguments: our key only, our known_hosts. `asUsers` leaves out BatchMode and
 * LogLevel=ERROR, so the client prints what it prints for a developer at a terminal (the
 * server's one-line reasons come at log level INFO).
 */
export function sshArgs(w: GitWorld, keyFile: string, opts: { asUsers?: boolean } = {}): string[] {
  return [
    '-F', '/dev/null', '-i', keyFile, '-o', 'IdentitiesOnly=yes', '-o', 'IdentityAgent=none',
    ...(opts.asUsers ? [] : ['-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR']),
    '-o', `UserKnownHostsFile=${w.knownHosts}`, '-o', 'StrictHostKeyChecking=yes', '-p', String(w.ssh.port),
  ];
}

/** Environment for the git client: no user or system configuration, our key and known_hosts. */
export function gitEnv(w: GitWorld, keyFile: string, opts: { asUsers?: boolean } = {}): NodeJS.ProcessEnv {
  const home = path.join(w.dir, 'home');
  mkdirSync(home, { recursive: true });
  return {
    PATH: process.env.PATH, HOME: home, GIT_CONFIG_NOSYSTEM: '1', LANG: 'C',
    GIT_AUTHOR_NAME: 'Dana Developer', GIT_AUTHOR_EMAIL: 'dana@example.com', GIT_COMMITTER_NAME: 'Dana Developer', GIT_COMMITTER_EMAIL: 'dana@example.com',
    GIT_SSH_COMMAND: ['ssh', ...sshArgs(w, keyFile, opts)].map((a) => `'${a}'`).join(' '),
  };
}

export function cloneUrl(w: GitWorld, app: string): string {
  return `ssh://git@127.0.0.1:${w.ssh.port}/${app}.git`;
}

let cloneCount = 0;

export async function clone(w: GitWorld, keyFile: string, app: string, opts: { asUsers?: boolean } = {}): Promise<Run & { dir: string }> {
  const dir = path.join(w.dir, `clone${++cloneCount}`);
  const result = await run('git', ['clone', cloneUrl(w, app), dir], { env: gitEnv(w, keyFile, opts) });
  return { ...result, dir };
}

/** Commits a file in a working copy and pushes it to `branch`; returns the push and the commit's sha. */
export async function commitAndPush(w: GitWorld, keyFile: string, dir: string, branch = 'main', file = 'index.php'): Promise<Run & { commit: string }> {
  const env = gitEnv(w, keyFile);
  writeFileSync(path.join(dir, file), `<?php echo "hello ${Math.random()}";\n`);
  for (const args of [['checkout', '-q', '-B', branch], ['add', file], ['commit', '-q', '-m', `change ${file}`]]) {
    const r = await run('git', args, { cwd: dir, env });
    if (r.code !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  }
  const commit = (await run('git', ['rev-parse', 'HEAD'], { cwd: dir, env })).stdout.trim();
  const push = await run('git', ['push', 'origin', `HEAD:refs/heads/${branch}`], { cwd: dir, env });
  return { ...push, commit };
}

/** Runs a raw command over SSH with the OpenSSH client. */
export function sshCommand(w: GitWorld, keyFile: string, command: string | null, extra: string[] = []): Promise<Run> {
  return run('ssh', [...sshArgs(w, keyFile), ...extra, 'git@127.0.0.1', ...(command === null ? [] : [command])], { input: '' });
}
