import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ssh2 from 'ssh2';
import { sshFingerprint } from '../modules/accounts/sshKeyFormat.js';

const { utils } = ssh2;

export interface HostKey {
  /** OpenSSH private key text, handed to the SSH server. */
  privateKey: string;
  /** As `ssh-keygen -l` prints it: `SHA256:` and unpadded base64. */
  fingerprint: string;
}

export const HOST_KEY_FILE = 'ssh_host_ed25519_key';

/** `SHA256:` and the unpadded base64 of the SHA-256 of an SSH public key blob (the same as for Account keys). */
export const fingerprintOf = sshFingerprint;

const loaded = new Map<string, HostKey>();

/** An OpenSSH private key text that ssh2 itself can read back, or null. */
function readable(privateKey: string): ssh2.ParsedKey | null {
  const parsed = utils.parseKey(privateKey);
  return parsed instanceof Error || Array.isArray(parsed) ? null : parsed;
}

/**
 * A new ed25519 host key. ssh2 1.17's `generateKeyPairSync('ed25519')` writes about one key in
 * 300 with a 31-byte public key (a leading zero byte dropped), which its own `parseKey` then
 * refuses as malformed: the server would not start. Each candidate is read back before it is
 * used, and a malformed one is thrown away.
 */
export function generateHostKeyText(generate: () => string = () => utils.generateKeyPairSync('ed25519').private): string {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const candidate = generate();
    if (readable(candidate)) return candidate;
  }
  throw new Error('Could not generate a readable SSH host key.');
}

/**
 * The server's ed25519 host key, generated into DATA_DIR on first use and kept, so the
 * fingerprint developers checked once stays valid. Two processes starting at once both
 * write a candidate; the hard link makes exactly one of them the key, and both read it back.
 */
export function loadHostKey(dataDir: string): HostKey {
  const file = path.join(dataDir, HOST_KEY_FILE);
  const cached = loaded.get(file);
  if (cached) return cached;
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const candidate = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(candidate, generateHostKeyText(), { mode: 0o600 });
    try {
      linkSync(candidate, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      rmSync(candidate, { force: true });
    }
  }
  const privateKey = readFileSync(file, 'utf8');
  const parsed = readable(privateKey);
  if (!parsed) {
    throw new Error(`The SSH host key in ${HOST_KEY_FILE} (DATA_DIR) cannot be read; move it away to have a new one generated.`);
  }
  const key = { privateKey, fingerprint: fingerprintOf(parsed.getPublicSSH()) };
  loaded.set(file, key);
  return key;
}
