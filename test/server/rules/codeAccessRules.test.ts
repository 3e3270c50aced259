import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../src/server/authz/permissions.js';
import { activityEvents, apps } from '../../../src/server/db/schema.js';
import { decideCodeAccess, findSshKey, type SshIdentity } from '../../../src/server/modules/deployments/decideCodeAccess.js';
import { parseGitCommand } from '../../../src/server/ssh/command.js';
import { addMember, bookApp, createCompany, createTrial } from '../../harness/factories.js';
import { ed25519PublicKey } from '../../harness/sshKeys.js';
import { as, createTestApp, signUpVerified, type SignedIn, type TestApp } from '../../harness/testApp.js';

/**
 * Issue 10 (Stryker on codeAccess): the SSH access decision (SPEC 3 "code access", SPEC 4.8
 * "a suspended App can be read, not pushed") and the command allow-list, asked directly on a
 * real database — without the git and ssh clients of test/server/ssh/access.test.ts, so a
 * mutation run is quick. The identity is what the SSH layer hands over after the key proof.
 */
let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t?.close(); });

async function keyOf(who: SignedIn): Promise<SshIdentity> {
  const res = await as(t, who).post('/api/v1/me/ssh-keys', { title: 'laptop', publicKey: ed25519PublicKey() });
  expect(res.statusCode).toBe(201);
  return { keyId: res.json().id, accountId: who.id, fingerprint: res.json().fingerprint };
}

const refusalsOf = (appName: string) =>
  t.services.db.select().from(activityEvents).where(and(eq(activityEvents.action, 'app.codeAccess'), eq(activityEvents.appName, appName)));

const noAccess = (app: string) => ({ allowed: false, message: `You have no access to the App '${app}'.` });
const keyGone = { allowed: false, message: 'This SSH key is no longer in your Dashboard profile: add it again there to use it.' };

async function world() {
  const owner = await signUpVerified(t, { firstName: 'Olga', lastName: 'Owner' });
  const co = await createCompany(t, owner);
  const app = await bookApp(t, owner, co);
  const other = await bookApp(t, owner, co);
  const people: Record<string, { user: SignedIn; key: SshIdentity; role: Role | null }> = {};
  const roles: [string, Role | null, string[]][] = [
    ['owner', 'owner', []], ['admin', 'admin', []], ['assigned', 'collaborator', [app]], ['unassigned', 'collaborator', [other]],
    ['accountant', 'accountant', []], ['outsider', null, []],
  ];
  for (const [name, role, assigned] of roles) {
    const user = name === 'owner' ? owner : await signUpVerified(t, { firstName: name, lastName: 'Person' });
    if (role && name !== 'owner') await addMember(t, co.id, user, role, assigned);
    people[name] = { user, key: await keyOf(user), role };
  }
  return { co, app, people };
}

describe('who may read and push (SPEC 3: owner, admin, collaborator on assigned Apps)', () => {
  it('owners, admins and assigned collaborators read and push; the grant names the App and the person', async () => {
    const { co, app, people } = await world();
    for (const name of ['owner', 'admin', 'assigned']) {
      for (const want of ['read', 'write'] as const) {
        const res = await decideCodeAccess(t.services, people[name].key, app, want);
        expect(res, `${name} ${want}`).toMatchObject({
          allowed: true, app: { name: app, companyId: co.id },
          account: { id: people[name].user.id, firstName: name === 'owner' ? 'Olga' : name, lastName: name === 'owner' ? 'Owner' : 'Person', email: people[name].user.email },
        });
        expect(res.allowed && res.app.id).toMatch(/\S/);
      }
    }
    expect(await refusalsOf(app)).toEqual([]);
  });

  it('an unassigned collaborator and an accountant are refused and recorded with their role; an outsider learns nothing and is not recorded', async () => {
    const { co, app, people } = await world();
    for (const name of ['unassigned', 'accountant']) {
      expect(await decideCodeAccess(t.services, people[name].key, app, 'write'), name).toEqual(noAccess(app));
    }
    expect(await decideCodeAccess(t.services, people.outsider.key, app, 'read')).toEqual(noAccess(app));
    const refusals = (await refusalsOf(app)).map((e) => ({ actorId: e.actorId, companyId: e.companyId, category: e.category, outcome: e.outcome, details: e.details }));
    expect(refusals).toEqual([
      { actorId: people.unassigned.user.id, companyId: co.id, category: 'app', outcome: 'refused', details: { want: 'write', reason: 'role', role: 'collaborator' } },
      { actorId: people.accountant.user.id, companyId: co.id, category: 'app', outcome: 'refused', details: { want: 'write', reason: 'role', role: 'accountant' } },
    ]);
  });

  it('an App that does not exist (or was deleted) is "no access", not recorded', async () => {
    const { app, people } = await world();
    expect(await decideCodeAccess(t.services, people.owner.key, 'no-such-app', 'read')).toEqual(noAccess('no-such-app'));
    await t.services.db.update(apps).set({ status: 'deleted' }).where(eq(apps.name, app));
    expect(await decideCodeAccess(t.services, people.owner.key, app, 'read')).toEqual(noAccess(app));
  });

  it('a suspended App is read but not pushed; the refused push is recorded', async () => {
    const { app, people } = await world();
    await t.services.db.update(apps).set({ status: 'suspended' }).where(eq(apps.name, app));
    expect(await decideCodeAccess(t.services, people.admin.key, app, 'read')).toMatchObject({ allowed: true });
    expect(await decideCodeAccess(t.services, people.admin.key, app, 'write')).toEqual({
      allowed: false, message: `The App '${app}' is suspended: you can clone and pull, but pushes are refused until it is active again.`,
    });
    const [event] = await refusalsOf(app);
    expect(event.details).toEqual({ want: 'write', reason: 'suspended', role: 'admin' });
  });
});

describe('trial Apps and keys', () => {
  it('only the creator of a trial App reaches it; another developer is refused without a record', async () => {
    const dev = await signUpVerified(t);
    const trial = await createTrial(t, dev);
    const stranger = await signUpVerified(t);
    expect(await decideCodeAccess(t.services, await keyOf(dev), trial, 'write')).toMatchObject({ allowed: true, app: { name: trial, companyId: null } });
    expect(await decideCodeAccess(t.services, await keyOf(stranger), trial, 'read')).toEqual(noAccess(trial));
    expect(await refusalsOf(trial)).toEqual([]);
  });

  it('the SSH login finds the key by its fingerprint, and nothing for an unknown one', async () => {
    const owner = await signUpVerified(t);
    const key = await keyOf(owner);
    expect(await findSshKey(t.services, key.fingerprint)).toMatchObject({ id: key.keyId, accountId: owner.id, keyType: 'ssh-ed25519' });
    expect(await findSshKey(t.services, 'SHA256:unknown')).toBeUndefined();
  });

  it('a key that is gone, or that belongs to someone else, opens nothing', async () => {
    const { app, people } = await world();
    const key = people.owner.key;
    expect(await decideCodeAccess(t.services, { ...key, accountId: people.admin.user.id }, app, 'read')).toEqual(keyGone);
    expect(await decideCodeAccess(t.services, { ...key, keyId: people.admin.key.keyId }, app, 'read')).toEqual(keyGone);
    expect((await as(t, people.owner.user).delete(`/api/v1/me/ssh-keys/${key.keyId}`)).statusCode).toBe(204);
    expect(await decideCodeAccess(t.services, key, app, 'read')).toEqual(keyGone);
  });
});

describe('the commands the SSH server runs (API.md: git-upload-pack and git-receive-pack only)', () => {
  it('reads both services, with or without a leading slash', () => {
    expect(parseGitCommand("git-upload-pack 'shop.git'")).toEqual({ service: 'git-upload-pack', appName: 'shop' });
    expect(parseGitCommand("git-receive-pack '/my-shop-2.git'")).toEqual({ service: 'git-receive-pack', appName: 'my-shop-2' });
    expect(parseGitCommand(`git-upload-pack '${'a'.repeat(30)}.git'`)).toEqual({ service: 'git-upload-pack', appName: 'a'.repeat(30) });
    expect(parseGitCommand("git-upload-pack 'abc.git'")).toEqual({ service: 'git-upload-pack', appName: 'abc' });
  });

  it('refuses every other command, path and name', () => {
    for (const command of [
      "git-upload-archive 'shop.git'", "git upload-pack 'shop.git'", "git-upload-pack shop.git", "git-upload-pack 'shop'",
      "git-upload-pack 'shop.git' ", " git-upload-pack 'shop.git'", "git-upload-pack 'shop.git'; rm -rf /", "git-upload-pack '../shop.git'",
      "git-upload-pack '//shop.git'", "git-upload-pack 'Shop.git'", "git-upload-pack 'ab.git'", `git-upload-pack '${'a'.repeat(31)}.git'`,
      "git-upload-pack '-shop.git'", "git-upload-pack 'shop-.git'", "git-upload-pack 'my--shop.git'", "git-upload-pack 'sh\u0000op.git'",
      "git-receive-pack 'a/b.git'", '', `git-upload-pack '${'a'.repeat(300)}.git'`,
    ]) {
      expect(parseGitCommand(command), JSON.stringify(command)).toBeNull();
    }
  });
});
