import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../src/server/authz/permissions.js';
import { addMember, bookApp, createCompany, createTrial, type CompanyFixture } from '../../harness/factories.js';
import { as, signUpVerified, type SignedIn } from '../../harness/testApp.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { clone, cloneUrl, commitAndPush, gitEnv, makeKey, run, sshArgs, startGitWorld, type GitWorld } from './gitHarness.js';

/**
 * Issue 13: who may clone and push, decided per connection from the database through the
 * permission matrix's `app.codeAccess`, with the real git and ssh clients.
 */
let w: GitWorld;
beforeAll(async () => { w = await startGitWorld(); });
afterAll(async () => { await w?.close(); });

type Who = 'owner' | 'admin' | 'collaborator (assigned)' | 'collaborator (not assigned)' | 'accountant' | 'outsider';
const ROLE: Record<Who, Role | null> = {
  owner: 'owner', admin: 'admin', 'collaborator (assigned)': 'collaborator', 'collaborator (not assigned)': 'collaborator', accountant: 'accountant', outsider: null,
};
const MAY: Record<Who, boolean> = {
  owner: true, admin: true, 'collaborator (assigned)': true, 'collaborator (not assigned)': false, accountant: false, outsider: false,
};

interface Person { user: SignedIn; key: string }

async function world() {
  const owner = await signUpVerified(w.t);
  const company = await createCompany(w.t, owner);
  const app = await bookApp(w.t, owner, company);
  const other = await bookApp(w.t, owner, company);
  const people = {} as Record<Who, Person>;
  for (const who of Object.keys(ROLE) as Who[]) {
    const user = who === 'owner' ? owner : await signUpVerified(w.t);
    const role = ROLE[who];
    if (role && who !== 'owner') await addMember(w.t, company.id, user, role, who === 'collaborator (assigned)' ? [app] : who === 'collaborator (not assigned)' ? [other] : []);
    people[who] = { user, key: (await makeKey(w, user)).file };
  }
  return { company, app, people };
}

let fixture: { company: CompanyFixture; app: string; people: Record<Who, Person> };
beforeAll(async () => { fixture = await world(); }, 120_000);

describe('the matrix, role by role, read and write (issue 13)', () => {
  it.each(Object.keys(ROLE) as Who[])('%s', async (who) => {
    const { app, people } = fixture;
    const me = people[who];
    const cloned = await clone(w, me.key, app);
    const gitInfo = await as(w.t, me.user).get(`/api/v1/apps/${app}/git`);
    if (MAY[who]) {
      expect(cloned.code, cloned.stderr).toBe(0);
      const pushed = await commitAndPush(w, me.key, cloned.dir, 'main', `${who.replace(/\W/g, '-')}.php`);
      expect(pushed.code, pushed.stderr).toBe(0);
      expect(pushed.stderr).toContain(`Deployed ${pushed.commit.slice(0, 7)} to ${app}`);
      expect(gitInfo.json()).toMatchObject({ canPush: true });
    } else {
      expect(cloned.code).not.toBe(0);
      expect(cloned.stderr).toContain(`You have no access to the App '${app}'.`);
      // A push from a copy someone else cloned is refused the same way.
      const owners = await clone(w, people.owner.key, app);
      const pushed = await commitAndPush(w, me.key, owners.dir, 'main', 'refused.php');
      expect(pushed.code).not.toBe(0);
      expect(pushed.stderr).toContain(`You have no access to the App '${app}'.`);
      expect(gitInfo.statusCode).toBe(who === 'outsider' ? 404 : 403);
    }
  });

  it('refuses a key that belongs to no Account, in one line that names it and says what to do', async () => {
    const stranger = await makeKey(w, null, false);
    const fingerprint = (await run('ssh-keygen', ['-l', '-f', `${stranger.file}.pub`])).stdout.split(' ')[1];
    const cloned = await clone(w, stranger.file, fixture.app, { asUsers: true });
    expect(cloned.code).not.toBe(0);
    expect(cloned.stderr).toContain(`unknown key ${fingerprint}: add it in your Dashboard profile (SSH keys).`);
    expect(cloned.stderr.split('\n').filter((l) => l.includes('unknown key'))).toHaveLength(1);
    expect(cloned.stderr).toContain('Permission denied');
    // Never a way in: the keyboard-interactive round only carries the reason.
    expect(existsSync(path.join(cloned.dir, '.git'))).toBe(false);
  });

  it('a known key after an unknown one still gets in, and the client is not told about the unknown one', async () => {
    const stranger = await makeKey(w, null, false);
    // ssh tries its -i keys in order: the stranger's first, then the owner's.
    const env = { ...gitEnv(w, stranger.file, { asUsers: true }) };
    env.GIT_SSH_COMMAND = ['ssh', ...sshArgs(w, stranger.file, { asUsers: true }), '-i', fixture.people.owner.key].map((a) => `'${a}'`).join(' ');
    const dir = path.join(w.dir, `two-keys-${Date.now()}`);
    const cloned = await run('git', ['clone', cloneUrl(w, fixture.app), dir], { env });
    expect(cloned.code, cloned.stderr).toBe(0);
    expect(cloned.stderr).not.toContain('unknown key');
  });

  it('names the same refusal for an App that does not exist', async () => {
    const cloned = await clone(w, fixture.people.owner.key, 'no-such-app');
    expect(cloned.code).not.toBe(0);
    expect(cloned.stderr).toContain("You have no access to the App 'no-such-app'.");
  });

  it('records a member refused by the matrix in the activity log', async () => {
    const activity = await as(w.t, fixture.people.owner.user).get(`/api/v1/companies/${fixture.company.id}/activity?limit=200`);
    const refused = activity.json().items.filter((e: { action: string; outcome: string }) => e.action === 'app.codeAccess' && e.outcome === 'refused');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.map((e: { actor: { id: string } }) => e.actor.id)).toContain(fixture.people.accountant.user.id);
  });
});

describe('access ends on the next connection (issue 13)', () => {
  it('a dismissed admin', async () => {
    const { company, app, people } = fixture;
    const admin = await signUpVerified(w.t);
    await addMember(w.t, company.id, admin, 'admin');
    const key = (await makeKey(w, admin)).file;
    expect((await clone(w, key, app)).code).toBe(0);
    expect((await as(w.t, people.owner.user).delete(`/api/v1/companies/${company.id}/members/${admin.id}`)).statusCode).toBe(204);
    const again = await clone(w, key, app);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain(`You have no access to the App '${app}'.`);
  });

  it('a collaborator whose assignment is removed', async () => {
    const { company, app, people } = fixture;
    const collaborator = await signUpVerified(w.t);
    await addMember(w.t, company.id, collaborator, 'collaborator', [app]);
    const key = (await makeKey(w, collaborator)).file;
    expect((await clone(w, key, app)).code).toBe(0);
    const changed = await as(w.t, people.owner.user).patch(`/api/v1/companies/${company.id}/members/${collaborator.id}`, { role: 'collaborator', appNames: [] });
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await clone(w, key, app)).code).not.toBe(0);
  });

  it('a member who left', async () => {
    const { company, app } = fixture;
    const admin = await signUpVerified(w.t);
    await addMember(w.t, company.id, admin, 'admin');
    const key = (await makeKey(w, admin)).file;
    expect((await clone(w, key, app)).code).toBe(0);
    expect((await as(w.t, admin).post(`/api/v1/companies/${company.id}/leave`, { confirm: company.name })).statusCode).toBe(204);
    expect((await clone(w, key, app)).code).not.toBe(0);
  });

  it('a deleted key', async () => {
    const { app, people } = fixture;
    const key = await makeKey(w, people.admin.user);
    expect((await clone(w, key.file, app)).code).toBe(0);
    expect((await as(w.t, people.admin.user).delete(`/api/v1/me/ssh-keys/${key.id}`)).statusCode).toBe(204);
    const again = await clone(w, key.file, app, { asUsers: true });
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain(`unknown key ${key.fingerprint}: add it in your Dashboard profile`);
  });
});

describe('a suspended App (issue 13)', () => {
  it('can be cloned, not pushed, and says so', async () => {
    const { company, people } = fixture;
    const app = await bookApp(w.t, people.owner.user, company);
    const key = people.owner.key;
    const cloned = await clone(w, key, app);
    expect((await commitAndPush(w, key, cloned.dir)).code).toBe(0);
    // Suspension is the dunning's job (another issue); here the state is set directly.
    await w.t.services.db.execute(sql`UPDATE apps SET status = 'suspended' WHERE name = ${app}`);
    const read = await clone(w, key, app);
    expect(read.code, read.stderr).toBe(0);
    const pushed = await commitAndPush(w, key, read.dir, 'main', 'later.php');
    expect(pushed.code).not.toBe(0);
    expect(pushed.stderr).toContain(`The App '${app}' is suspended`);
    expect((await as(w.t, people.owner.user).get(`/api/v1/apps/${app}/git`)).json()).toMatchObject({ canPush: false });
    expect((await as(w.t, people.owner.user).get(`/api/v1/apps/${app}/deployments`)).json().items).toHaveLength(1);
  });
});

describe('trial Apps (issue 13)', () => {
  it('only the creator has code access to a trial App', async () => {
    const creator = await signUpVerified(w.t);
    const app = await createTrial(w.t, creator);
    const creatorKey = (await makeKey(w, creator)).file;
    expect((await clone(w, creatorKey, app)).code).toBe(0);
    const other = await clone(w, fixture.people.owner.key, app);
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain(`You have no access to the App '${app}'.`);
    expect((await as(w.t, fixture.people.owner.user).get(`/api/v1/apps/${app}/git`)).statusCode).toBe(404);
  });
});
