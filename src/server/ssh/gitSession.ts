import { spawn } from 'node:child_process';
import type { ServerChannel } from 'ssh2';
import type { Services } from '../services.js';
import { decideCodeAccess, type SshIdentity } from '../modules/deployments/decideCodeAccess.js';
import { recordDeployment } from '../modules/deployments/recordDeployment.js';
import { parseGitCommand } from './command.js';
import { adoptPushedBranch, defaultBranchHead, ensureRepository, gitEnv } from './repositories.js';

function refuse(channel: ServerChannel, message: string) {
  channel.stderr.write(`${message}\n`);
  channel.exit(1);
  channel.end();
}

export const USAGE = "This server only serves git: clone with  git clone ssh://git@<host>:<port>/<app>.git  (there is no shell access).";

/**
 * One `exec` request: the command must be on the allow-list, the access decision is made
 * from the database now, and git runs with an argument vector (no shell) and a minimal
 * environment. A push that moves the default branch is recorded as a deployment and
 * answered in the push output. The child is killed when the channel closes.
 */
export async function runGitCommand(services: Services, who: SshIdentity, channel: ServerChannel, command: string, gitProtocol: string | null): Promise<void> {
  const { log, config } = services;
  const parsed = parseGitCommand(command);
  if (!parsed) {
    // The command itself is not logged: it may carry anything the client typed.
    log.warn({ ssh: { keyId: who.keyId, refused: 'command', length: command.length } }, 'ssh: command refused');
    return refuse(channel, USAGE);
  }
  const write = parsed.service === 'git-receive-pack';
  const decision = await decideCodeAccess(services, who, parsed.appName, write ? 'write' : 'read');
  if (!decision.allowed) {
    log.info({ ssh: { keyId: who.keyId, accountId: who.accountId, app: parsed.appName, service: parsed.service, refused: 'access' } }, 'ssh: access refused');
    return refuse(channel, decision.message);
  }
  const repo = await ensureRepository(config.reposDir, decision.app.id);
  const before = write ? await defaultBranchHead(repo, config.reposDir) : null;
  log.info({ ssh: { keyId: who.keyId, accountId: who.accountId, app: parsed.appName, service: parsed.service } }, 'ssh: git session');

  const child = spawn('git', [write ? 'receive-pack' : 'upload-pack', repo], {
    shell: false, cwd: config.reposDir, stdio: ['pipe', 'pipe', 'pipe'],
    env: gitEnv(config.reposDir, gitProtocol ? { GIT_PROTOCOL: gitProtocol } : {}),
  });
  let closed = false;
  channel.on('close', () => {
    closed = true;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  channel.pipe(child.stdin);
  child.stdin.on('error', () => { /* the client went away; the exit below reports it */ });
  child.stdout.pipe(channel, { end: false });
  child.stderr.pipe(channel.stderr, { end: false });

  const exit = await new Promise<number>((resolve) => {
    child.on('error', (err) => {
      log.error({ err }, 'ssh: git could not be started');
      resolve(128);
    });
    child.on('close', (code) => resolve(code ?? 128));
  });
  if (exit === 0 && write && before && !closed) {
    try {
      if (before.commit === null) {
        const now = await defaultBranchHead(repo, config.reposDir);
        if (now.commit === null) await adoptPushedBranch(repo, config.reposDir);
      }
      const after = await defaultBranchHead(repo, config.reposDir);
      if (after.commit && after.commit !== before.commit) {
        await recordDeployment(services, decision, { commit: after.commit, branch: after.branch });
        channel.stderr.write(`Deployed ${after.commit.slice(0, 7)} to ${decision.app.name}\n`);
      }
    } catch (err) {
      log.error({ err, app: decision.app.name }, 'ssh: the deployment could not be recorded');
      channel.stderr.write('The push was received, but the deployment could not be recorded; please try again or contact support.\n');
    }
  }
  if (!closed) {
    channel.exit(exit);
    channel.end();
  }
}
