import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { removeDeletedRepositories } from '../../../src/server/jobs/removeDeletedRepositories.js';
import { repositoryPath } from '../../../src/server/ssh/repositories.js';
import { appsRepo } from '../../../src/server/modules/apps/repo.js';
import { addMember, bookApp, createCompany, createTrial } from '../../harness/factories.js';
import { acceptWithNewCompany, inviteClient, signUpClient } from '../../harness/handover.js';
import { as, signUpVerified, uniqueEmail } from '../../harness/testApp.js';
import { clone, commitAndPush, gitEnv, makeKey, run, startGitWorld, type GitWorld } from './gitHarness.js';

/** Issue 13: git over SSH with the real git and ssh clients; clone, push, deployments. */
let w: GitWorld;
beforeAll(async () => { w = await startGitWorld(); });
afterAll(async () => { await w?.close(); });
// Time is frozen and moves only when a test moves it; back to the start after each test (docs/testing.md).
afterEach(() => { w?.t.clock.reset(); });

describe('a trial App: clone, push, deployment (issue 13)', () => {
  it('clones the empty repository, pushes main, and the push is a recorded deployment', async () => {
    const dev = await signUpVerified(w.t, { firstName: 'Dana', lastName: 'Dev' });
    const app = await createTrial(w.t, dev);
    const key = await makeKey(w, dev);

    const info = await as(w.t, dev).get(`/api/v1/apps/${app}/git`);
    expect(info.statusCode).toBe(200);
    expect(info.json()).toEqual({ cloneUrl: `ssh://git@127.0.0.1:${w.ssh.port}/${app}.git`, hostKeyFingerprint: expect.stringMatching(/^SHA256:[A-Za-z0-9+/]{43}$/), canPush: true });
    // The fingerprint the API shows is the one ssh-keygen computes from the key the client checks.
    const listed = await run('ssh-keygen', ['-l', '-f', w.knownHosts]);
    expect(listed.stdout).toContain(info.json().hostKeyFingerprint);

    const empty = await as(w.t, dev).get(`/api/v1/apps/${app}/deployments`);
    expect(empty.json()).toEqual({ items: [], nextCursor: null });

    const cloned = await clone(w, key.file, app);
    expect(cloned.code, cloned.stderr).toBe(0);
    expect(cloned.stderr).toContain('empty repository');

    // The deployment's time comes from the server's clock (moved a day ahead here).
    w.t.clock.advance(86_400_000);
    const pushed = await commitAndPush(w, key.file, cloned.dir);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stderr).toContain(`Deployed ${pushed.commit.slice(0, 7)} to ${app}`);

    const list = await as(w.t, dev).get(`/api/v1/apps/${app}/deployments`);
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toEqual([{ id: expect.any(String), commit: pushed.commit, branch: 'main', pushedBy: { firstName: 'Dana', lastName: 'Dev' }, at: w.t.clock.now().toISOString() }]);

    // A second working copy pulls what was pushed.
    const second = await clone(w, key.file, app);
    expect(second.code, second.stderr).toBe(0);
    expect(existsSync(path.join(second.dir, 'index.php'))).toBe(true);
    const again = await commitAndPush(w, key.file, second.dir, 'main', 'about.php');
    expect(again.code, again.stderr).toBe(0);
    const pulled = await run('git', ['pull', '-q', '--ff-only'], { cwd: cloned.dir, env: gitEnv(w, key.file) });
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(existsSync(path.join(cloned.dir, 'about.php'))).toBe(true);

    // A branch other than the default one is no deployment.
    const feature = await commitAndPush(w, key.file, cloned.dir, 'feature', 'feature.php');
    expect(feature.code, feature.stderr).toBe(0);
    expect(feature.stderr).not.toContain('Deployed');
    const page = await as(w.t, dev).get(`/api/v1/apps/${app}/deployments?limit=1`);
    expect(page.json().items.map((d: { commit: string }) => d.commit)).toEqual([again.commit]);
    expect(page.json().nextCursor).not.toBeNull();
    const next = await as(w.t, dev).get(`/api/v1/apps/${app}/deployments?limit=1&cursor=${page.json().nextCursor}`);
    expect(next.json()).toEqual({ items: [expect.objectContaining({ commit: pushed.commit })], nextCursor: null });
  });

  it('a first push of a local master branch makes it the default branch and deploys it', async () => {
    const dev = await signUpVerified(w.t);
    const app = await createTrial(w.t, dev);
    const key = await makeKey(w, dev);
    const cloned = await clone(w, key.file, app);
    const pushed = await commitAndPush(w, key.file, cloned.dir, 'master');
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stderr).toContain(`Deployed ${pushed.commit.slice(0, 7)} to ${app}`);
    const list = await as(w.t, dev).get(`/api/v1/apps/${app}/deployments`);
    expect(list.json().items).toEqual([expect.objectContaining({ commit: pushed.commit, branch: 'master' })]);
  });
});

describe('a Company App: deployments in the activity log (issue 13)', () => {
  it('an admin pushes; the deployment is in the Company activity and the App list', async () => {
    const owner = await signUpVerified(w.t);
    const admin = await signUpVerified(w.t, { firstName: 'Ada', lastName: 'Admin' });
    const company = await createCompany(w.t, owner);
    const app = await bookApp(w.t, owner, company);
    await addMember(w.t, company.id, admin, 'admin');
    const key = await makeKey(w, admin);
    const cloned = await clone(w, key.file, app);
    expect(cloned.code, cloned.stderr).toBe(0);
    const pushed = await commitAndPush(w, key.file, cloned.dir);
    expect(pushed.code, pushed.stderr).toBe(0);
    const activity = await as(w.t, owner).get(`/api/v1/companies/${company.id}/activity`);
    expect(activity.json().items[0]).toMatchObject({
      action: 'app.deployed', appName: app, actor: { id: admin.id, name: 'Ada Admin' }, details: { commit: pushed.commit, branch: 'main' },
    });
    const deployments = await as(w.t, owner).get(`/api/v1/apps/${app}/deployments`);
    expect(deployments.json().items[0]).toMatchObject({ commit: pushed.commit, pushedBy: { firstName: 'Ada', lastName: 'Admin' } });
  });
});

describe('deleting an App (issue 13)', () => {
  it('refuses the next connection and removes the repository once the name is released', async () => {
    const dev = await signUpVerified(w.t);
    const app = await createTrial(w.t, dev);
    const key = await makeKey(w, dev);
    const cloned = await clone(w, key.file, app);
    expect((await commitAndPush(w, key.file, cloned.dir)).code).toBe(0);
    const found = await appsRepo.byName(w.t.services.db, app);
    const repo = repositoryPath(w.t.services.config.reposDir, found!.app.id);
    expect(existsSync(repo)).toBe(true);

    expect((await as(w.t, dev).delete(`/api/v1/apps/${app}`)).statusCode).toBe(204);
    const refused = await clone(w, key.file, app);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`You have no access to the App '${app}'`);
    expect(await removeDeletedRepositories(w.t.services)).toBe(1);
    expect(existsSync(repo)).toBe(false);
    expect(await removeDeletedRepositories(w.t.services)).toBe(0);
  });
});

describe('the repository belongs to the App from its creation on (issue 13)', () => {
  async function idOf(app: string): Promise<string> {
    return (await appsRepo.byName(w.t.services.db, app))!.app.id;
  }

  it('is made when a trial or a booked App is created, named by the App id, not its name', async () => {
    const dev = await signUpVerified(w.t);
    const trial = await createTrial(w.t, dev);
    const company = await createCompany(w.t, dev);
    const booked = await bookApp(w.t, dev, company);
    for (const app of [trial, booked]) {
      const repo = repositoryPath(w.t.services.config.reposDir, await idOf(app));
      expect(path.basename(repo)).not.toContain(app);
      // A bare repository whose HEAD is the default branch, before anyone connected.
      expect(existsSync(path.join(repo, 'HEAD')), app).toBe(true);
      const head = await run('git', ['--git-dir', repo, 'symbolic-ref', 'HEAD'], { env: { PATH: process.env.PATH } });
      expect(head.stdout.trim()).toBe('refs/heads/main');
    }
  });

  it('a handed-over trial App keeps its repository and history; the developer, now admin, pushes on', async () => {
    const dev = await signUpVerified(w.t);
    const app = await createTrial(w.t, dev);
    const id = await idOf(app);
    const key = await makeKey(w, dev);
    const cloned = await clone(w, key.file, app);
    const first = await commitAndPush(w, key.file, cloned.dir);
    expect(first.code, first.stderr).toBe(0);

    const email = uniqueEmail('client');
    const { token } = await inviteClient(w.t, dev, app, email);
    const client = await signUpClient(w.t, token, email);
    expect((await acceptWithNewCompany(w.t, client, token)).statusCode).toBe(200);

    expect(await idOf(app)).toBe(id);
    const again = await clone(w, key.file, app);
    expect(again.code, again.stderr).toBe(0);
    expect((await run('git', ['log', '--format=%H'], { cwd: again.dir, env: gitEnv(w, key.file) })).stdout).toContain(first.commit);
    const second = await commitAndPush(w, key.file, again.dir, 'main', 'after-handover.php');
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain(`Deployed ${second.commit.slice(0, 7)} to ${app}`);
    const deployments = (await as(w.t, dev).get(`/api/v1/apps/${app}/deployments`)).json().items;
    expect(deployments.map((d: { commit: string }) => d.commit)).toEqual([second.commit, first.commit]);
  });

  it('a transferred App keeps its repository and history', async () => {
    const owner = await signUpVerified(w.t);
    const from = await createCompany(w.t, owner);
    const to = await createCompany(w.t, owner);
    const app = await bookApp(w.t, owner, from);
    const id = await idOf(app);
    const key = await makeKey(w, owner);
    const cloned = await clone(w, key.file, app);
    const pushed = await commitAndPush(w, key.file, cloned.dir);
    expect(pushed.code, pushed.stderr).toBe(0);

    const moved = await as(w.t, owner).post(`/api/v1/apps/${app}/transfer`, { toCompanyId: to.id, billingContactId: to.contactId });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await idOf(app)).toBe(id);
    const again = await clone(w, key.file, app);
    expect(again.code, again.stderr).toBe(0);
    expect((await run('git', ['rev-parse', 'HEAD'], { cwd: again.dir, env: gitEnv(w, key.file) })).stdout.trim()).toBe(pushed.commit);
  });
});

describe('the log (issue 13)', () => {
  it('holds no key material and no repository path, after every clone and push above', () => {
    const logs = w.t.logs.join('\n');
    expect(logs).toContain('ssh: git session');
    // Every ed25519 public key blob starts with these base64 characters (the type string).
    expect(logs).not.toContain('AAAAC3NzaC1lZDI1NTE5');
    expect(logs).not.toContain('PRIVATE KEY');
    expect(logs).not.toContain(w.t.services.config.reposDir);
    expect(logs).not.toContain('.git\'');
  });
});
