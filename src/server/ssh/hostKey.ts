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
    writeFileSync(candidate, utils.generateKeyPairSync('ed25519').private, { mode: 0o600 });
    try {
      linkSync(candidate, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      rmSync(candidate, { force: true });
    }
  }
  const privateKey = readFileSync(file, 'utf8');
  const parsed = utils.parseKey(privateKey);
  if (parsed instanceof Error || Array.isArray(parsed)) {
    throw new Error(`The SSH host key in ${HOST_KEY_FILE} (DATA_DIR) cannot be read; move it away to have a new one generated.`);
  }
  const key = { privateKey, fingerprint: fingerprintOf(parsed.getPublicSSH()) };
  loaded.set(file, key);
  return key;
}
