import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrial } from '../../harness/factories.js';
import { as, signUpVerified } from '../../harness/testApp.js';
import { run, startGitWorld, type GitWorld } from './gitHarness.js';

/**
 * Issue 13, "done when": a newcomer follows the README's "Code: git over SSH" section. The
 * commands are read from the README itself and run with the real ssh-keygen, git and ssh;
 * only the port and the App name are filled in, and the browser steps are their API calls
 * (the Code access panel itself is test/e2e/codeAccess.spec.ts).
 */
let w: GitWorld;
beforeAll(async () => { w = await startGitWorld(); });
afterAll(async () => { await w?.close(); });

function readmeSection(): string {
  const readme = readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');
  const start = readme.indexOf('## Code: git over SSH');
  expect(start).toBeGreaterThan(-1);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end);
}

describe("the README's Code section, step by step (issue 13)", () => {
  it('adds a key, creates a trial App, clones, commits and pushes: a deployment', async () => {
    const section = readmeSection();
    const home = path.join(w.dir, 'newcomer');
    mkdirSync(path.join(home, '.ssh'), { recursive: true });
    const keyFile = path.join(home, '.ssh', 'id_ed25519');

    // Step 1: make a key as the README says (no passphrase here), add the .pub in the profile.
    expect(section).toContain('ssh-keygen -t ed25519');
    expect((await run('ssh-keygen', ['-t', 'ed25519', '-N', '', '-q', '-f', keyFile])).code).toBe(0);
    expect(section).toContain('cat ~/.ssh/id_ed25519.pub');
    const dev = await signUpVerified(w.t);
    const added = await as(w.t, dev).post('/api/v1/me/ssh-keys', { title: 'Laptop', publicKey: readFileSync(`${keyFile}.pub`, 'utf8') });
    expect(added.statusCode, added.body).toBe(201);

    // Step 2: a trial App; its page shows the clone command and the fingerprint to check.
    const app = await createTrial(w.t, dev);
    const git = (await as(w.t, dev).get(`/api/v1/apps/${app}/git`)).json();
    const scanned = await run('ssh-keygen', ['-l', '-f', w.knownHosts]);
    expect(scanned.stdout.split(' ')[1]).toBe(git.hostKeyFingerprint);

    // Step 3: the shell block, as printed, with this server's port and the App's name.
    const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBeDefined();
    expect(block).toContain('git clone ssh://git@localhost:2222/<app>.git');
    const script = block!.replaceAll('localhost:2222', `127.0.0.1:${w.ssh.port}`).replaceAll('<app>', app);
    expect(script).toContain(`git clone ${git.cloneUrl}`);
    const work = path.join(w.dir, 'newcomer-work');
    mkdirSync(work, { recursive: true });
    const env = {
      PATH: process.env.PATH, HOME: home, GIT_CONFIG_NOSYSTEM: '1', LANG: 'C',
      GIT_AUTHOR_NAME: 'New Comer', GIT_AUTHOR_EMAIL: 'new@example.com', GIT_COMMITTER_NAME: 'New Comer', GIT_COMMITTER_EMAIL: 'new@example.com',
      // ssh takes ~/.ssh from the passwd entry, not HOME: the key is named, and the host key is the one checked above.
      GIT_SSH_COMMAND: `ssh -F /dev/null -i '${keyFile}' -o IdentitiesOnly=yes -o IdentityAgent=none -o BatchMode=yes -o UserKnownHostsFile='${w.knownHosts}' -o StrictHostKeyChecking=yes`,
    };
    const walked = await run('sh', ['-e', '-c', script], { cwd: work, env });
    expect(walked.code, walked.stderr).toBe(0);
    const head = (await run('git', ['rev-parse', 'HEAD'], { cwd: path.join(work, app), env })).stdout.trim();
    expect(walked.stderr).toContain(`Deployed ${head.slice(0, 7)} to ${app}`);
    const deployments = (await as(w.t, dev).get(`/api/v1/apps/${app}/deployments`)).json().items;
    expect(deployments).toHaveLength(1);
    expect(deployments[0]).toMatchObject({ commit: head, branch: 'main' });
    expect(readFileSync(path.join(work, app, 'index.php'), 'utf8')).toContain('Hello');
  });
});
