import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, describe, expect, it } from 'vitest';
import { generateHostKeyText, HOST_KEY_FILE, loadHostKey } from '../../../src/server/ssh/hostKey.js';

/** A key as ssh2 1.17's generateKeyPairSync('ed25519') writes about one time in 300: a 31-byte public key. */
const MALFORMED = `-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMgAAAAtz
c2gtZWQyNTUxOQAAAB+XONmocDFzVcDASXCodA5Wqow6Uqco9P8FlKGwofwcAAAA
iHHrH4Zx6x+GAAAAC3NzaC1lZDI1NTE5AAAAH5c42ahwMXNVwMBJcKh0DlaqjDpS
pyj0/wWUobCh/BwAAAA/woK+AvJvT0wLVwTu5gUeywDMedXCG4lFa5Ow4BMx6KuX
ONmocDFzVcDASXCodA5Wqow6Uqco9P8FlKGwofwcAAAAAAECAwQFBgc=
-----END OPENSSH PRIVATE KEY-----
`;

const dirs: string[] = [];
const tempDir = () => { const dir = mkdtempSync(path.join(tmpdir(), 'hostkey-')); dirs.push(dir); return dir; };
afterAll(() => { for (const dir of dirs) rmSync(dir, { recursive: true, force: true }); });

describe('the SSH host key', () => {
  it('throws away a generated key that ssh2 cannot read back, and uses the next one', () => {
    expect(ssh2.utils.parseKey(MALFORMED)).toBeInstanceOf(Error);
    const good = ssh2.utils.generateKeyPairSync('ed25519').private;
    const candidates = [MALFORMED, MALFORMED, good];
    expect(generateHostKeyText(() => candidates.shift()!)).toBe(good);
    expect(candidates).toHaveLength(0);
  });

  it('is generated once into DATA_DIR and read back with the same fingerprint', () => {
    const dir = tempDir();
    const first = loadHostKey(dir);
    expect(first.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(readFileSync(path.join(dir, HOST_KEY_FILE), 'utf8')).toBe(first.privateKey);
  });

  it('refuses to start on a host key file it cannot read, with a sentence that says what to do', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, HOST_KEY_FILE), MALFORMED);
    expect(() => loadHostKey(dir)).toThrow(/cannot be read; move it away to have a new one generated/);
  });
});
