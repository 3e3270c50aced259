import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSshPublicKey } from '../../../src/server/modules/accounts/sshKeyFormat.js';
import { as, createTestApp, signUpVerified, type SignedIn, type TestApp } from '../../harness/testApp.js';
import { ecdsaPublicKey, ed25519PublicKey, rsaPublicKey } from '../../harness/sshKeys.js';

let t: TestApp;
let dev: SignedIn;
beforeAll(async () => {
  t = await createTestApp();
  dev = await signUpVerified(t, { firstName: 'Dev', lastName: 'One' });
});
afterAll(async () => { await t?.close(); });

/**
 * The fingerprint OpenSSH's own tool prints. ssh-keygen (package openssh-client) is a stated
 * requirement of the test suite (docs/testing.md; CI installs it): when it is missing this
 * fails instead of silently skipping the comparison (issue 10).
 */
function sshKeygenFingerprint(line: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'key-'));
  try {
    writeFileSync(path.join(dir, 'k.pub'), line + '\n');
    return execFileSync('ssh-keygen', ['-l', '-f', path.join(dir, 'k.pub')], { encoding: 'utf8' }).split(' ')[1];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('profile', () => {
  it('edits names, account type and newsletter; clients never get the newsletter', async () => {
    const api = as(t, dev);
    const res = await api.patch('/api/v1/me', { firstName: 'Grace', lastName: 'Hopper', newsletter: true });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ firstName: 'Grace', lastName: 'Hopper', newsletter: true, accountType: 'developer' });
    const toClient = await api.patch('/api/v1/me', { accountType: 'client' });
    expect(toClient.json()).toMatchObject({ accountType: 'client', newsletter: false });
    const refused = await api.patch('/api/v1/me', { newsletter: true });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().code).toBe('validation_failed');
    expect((await api.get('/api/v1/me')).json().newsletter).toBe(false);
    await api.patch('/api/v1/me', { accountType: 'developer' });
  });

  it('refuses bad input with 400 and changes nothing', async () => {
    const api = as(t, dev);
    const before = (await api.get('/api/v1/me')).json();
    for (const body of [{ accountType: 'admin' }, { firstName: 'x'.repeat(101) }, { email: 'new@example.com' }, { newsletter: 'yes' }]) {
      const res = await api.patch('/api/v1/me', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().code).toBe('validation_failed');
    }
    expect((await api.get('/api/v1/me')).json()).toEqual(before);
  });

  it('stores a language and a time zone (issue 17): null until chosen, anything else is a 400 and changes nothing', async () => {
    const api = as(t, dev);
    const fresh = (await api.get('/api/v1/me')).json();
    expect(fresh).toMatchObject({ language: null, timeZone: null });
    const de = await api.patch('/api/v1/me', { language: 'de', timeZone: 'Europe/Berlin' });
    expect(de.statusCode).toBe(200);
    expect(de.json()).toMatchObject({ language: 'de', timeZone: 'Europe/Berlin', firstName: fresh.firstName });
    expect((await api.get('/api/v1/me')).json()).toMatchObject({ language: 'de', timeZone: 'Europe/Berlin' });
    const before = (await api.get('/api/v1/me')).json();
    for (const body of [{ language: 'fr' }, { language: 'DE' }, { language: '' }, { language: null }, { language: 1 }, { language: ['de'] },
      { timeZone: 'Mars/Olympus' }, { timeZone: '../etc/passwd' }, { timeZone: 'x'.repeat(65) }, { language: 'en', timeZone: 'Nowhere/Land' }]) {
      const res = await api.patch('/api/v1/me', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().code).toBe('validation_failed');
    }
    expect((await api.get('/api/v1/me')).json()).toEqual(before);
    const en = await api.patch('/api/v1/me', { language: 'en' });
    expect(en.json()).toMatchObject({ language: 'en', timeZone: 'Europe/Berlin' });
  });

  it('needs a session', async () => {
    const res = await as(t, null).get('/api/v1/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('unauthenticated');
    const forged = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: 'dashboard.session_token=abc.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%3D' } });
    expect(forged.statusCode).toBe(401);
  });
});

describe('SSH keys', () => {
  it('parses ed25519, ecdsa and rsa keys with the fingerprint ssh-keygen prints', () => {
    for (const line of [ed25519PublicKey(), ecdsaPublicKey(), rsaPublicKey(3072)]) {
      const parsed = parseSshPublicKey(line);
      expect(parsed.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
      expect(parsed.fingerprint).toBe(sshKeygenFingerprint(line));
    }
    expect(parseSshPublicKey(rsaPublicKey(3072)).bits).toBe(3072);
  });

  it('parses keys made by ssh-keygen itself, every accepted type and size, with its fingerprints (issue 13)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'keygen-'));
    try {
      for (const [type, bits, expected] of [['ed25519', '', 256], ['ecdsa', '256', 256], ['ecdsa', '384', 384], ['ecdsa', '521', 521], ['rsa', '3072', 3072], ['rsa', '4096', 4096]] as const) {
        const file = path.join(dir, `${type}${bits}`);
        execFileSync('ssh-keygen', ['-q', '-t', type, ...(bits ? ['-b', bits] : []), '-N', '', '-C', 'dev@laptop', '-f', file]);
        const line = readFileSync(`${file}.pub`, 'utf8');
        const parsed = parseSshPublicKey(line);
        expect(parsed, `${type} ${bits}`).toMatchObject({ bits: expected, comment: 'dev@laptop', canonical: line.trim().replace(/ dev@laptop$/, '') });
        expect(parsed.fingerprint).toBe(execFileSync('ssh-keygen', ['-l', '-f', `${file}.pub`], { encoding: 'utf8' }).split(' ')[1]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000); // ssh-keygen makes a 4096-bit RSA key: seconds on a quiet machine, more on a busy 2-core one

  it('refuses key data that ssh-keygen would not make: short, trailing bytes, a point off the curve (issue 13)', () => {
    const blob = (type: string, ...parts: Buffer[]) => `${type} ${Buffer.concat([Buffer.from(type), ...parts].flatMap((d) => {
      const length = Buffer.alloc(4);
      length.writeUInt32BE(d.length);
      return [length, d];
    })).toString('base64')}`;
    const cases: Array<[string, RegExp]> = [
      [blob('ssh-ed25519', Buffer.alloc(31, 1)), /not a valid key/],
      [blob('ssh-ed25519', Buffer.alloc(32, 1), Buffer.from('x')), /unexpected data/],
      [blob('ecdsa-sha2-nistp256', Buffer.from('nistp256'), Buffer.alloc(65, 4)), /not a valid key/],
      [blob('ecdsa-sha2-nistp256', Buffer.from('nistp384'), Buffer.alloc(65, 4)), /not a valid key|unexpected data/],
      ['sk-ssh-ed25519@openssh.com AAAA', /not supported/],
    ];
    for (const [line, message] of cases) expect(() => parseSshPublicKey(line), line).toThrow(message);
  });

  it('adds, lists and deletes a key', async () => {
    const api = as(t, dev);
    const line = ed25519PublicKey('laptop');
    const added = await api.post('/api/v1/me/ssh-keys', { title: 'Laptop', publicKey: line });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ title: 'Laptop', keyType: 'ssh-ed25519', bits: 256, fingerprint: parseSshPublicKey(line).fingerprint });
    const list = await api.get('/api/v1/me/ssh-keys');
    expect(list.json().items.map((k: { id: string }) => k.id)).toContain(added.json().id);
    expect(JSON.stringify(list.json())).not.toContain('AAAA');
    expect((await api.delete(`/api/v1/me/ssh-keys/${added.json().id}`)).statusCode).toBe(204);
    expect((await api.delete(`/api/v1/me/ssh-keys/${added.json().id}`)).statusCode).toBe(404);
    expect((await api.get('/api/v1/me/ssh-keys')).json().items).toHaveLength(0);
  });

  it('refuses keys that do not parse, weak RSA keys and duplicates with clear messages', async () => {
    const api = as(t, dev);
    const cases: Array<[string, RegExp]> = [
      ['not a key', /does not look like an SSH public key/],
      ['ssh-ed25519 AAAA!!!', /base64/],
      ['ssh-dss AAAAB3NzaC1kc3MAAACBAP', /type does not match|not supported|cut short/],
      [rsaPublicKey(2048), /2048 bits; use at least 3072/],
      ['-----BEGIN OPENSSH PRIVATE KEY-----', /private key/],
      [ed25519PublicKey().replace('ssh-ed25519 ', 'ssh-rsa '), /does not match/],
    ];
    for (const [publicKey, message] of cases) {
      const res = await api.post('/api/v1/me/ssh-keys', { title: 'k', publicKey });
      expect(res.statusCode, publicKey.slice(0, 30)).toBe(400);
      expect(res.json().code).toBe('validation_failed');
      expect(res.json().detail).toMatch(message);
    }
    const line = ed25519PublicKey();
    expect((await api.post('/api/v1/me/ssh-keys', { title: 'a', publicKey: line })).statusCode).toBe(201);
    const dup = await api.post('/api/v1/me/ssh-keys', { title: 'b', publicKey: line.replace(' test@example', ' other comment') });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().detail).toMatch(/already added/);
    const other = await signUpVerified(t);
    expect((await as(t, other).post('/api/v1/me/ssh-keys', { title: 'c', publicKey: line })).statusCode).toBe(409);
    expect((await api.get('/api/v1/me/ssh-keys')).json().items).toHaveLength(1);
  });

  it('a key of someone else cannot be deleted (404)', async () => {
    const other = await signUpVerified(t);
    const added = await as(t, other).post('/api/v1/me/ssh-keys', { title: 'theirs', publicKey: ed25519PublicKey() });
    expect((await as(t, dev).delete(`/api/v1/me/ssh-keys/${added.json().id}`)).statusCode).toBe(404);
    expect((await as(t, other).get('/api/v1/me/ssh-keys')).json().items).toHaveLength(1);
  });

  it('a client Account is never shown SSH keys', async () => {
    const client = await signUpVerified(t, { accountType: 'client' });
    const res = await as(t, client).get('/api/v1/me/ssh-keys');
    expect(res.statusCode).toBe(403);
    expect((await as(t, client).post('/api/v1/me/ssh-keys', { title: 'x', publicKey: ed25519PublicKey() })).statusCode).toBe(403);
  });
});
