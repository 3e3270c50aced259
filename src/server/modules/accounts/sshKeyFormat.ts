import { createHash, createPublicKey } from 'node:crypto';
import ssh2 from 'ssh2';

export interface ParsedSshKey {
  type: 'ssh-ed25519' | 'ecdsa-sha2-nistp256' | 'ecdsa-sha2-nistp384' | 'ecdsa-sha2-nistp521' | 'ssh-rsa';
  bits: number;
  /** As `ssh-keygen -l` prints it: `SHA256:` and unpadded base64 of the key blob's SHA-256. */
  fingerprint: string;
  /** The canonical `type base64` form, without the comment. */
  canonical: string;
  comment: string;
}

export class SshKeyError extends Error {}

const MIN_RSA_BITS = 3072;
const BITS: Record<string, number> = {
  'ssh-ed25519': 256, 'ecdsa-sha2-nistp256': 256, 'ecdsa-sha2-nistp384': 384, 'ecdsa-sha2-nistp521': 521,
};
const NOT_A_KEY = 'This does not look like an SSH public key. It should start with ssh-ed25519, ecdsa-sha2-… or ssh-rsa.';

/** `SHA256:` and the unpadded base64 of the blob's SHA-256, as `ssh-keygen -l` prints it. */
export function sshFingerprint(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

/**
 * Parses an OpenSSH public key line (`ssh-ed25519 AAAA… comment`) with ssh2's key parser
 * (the one the SSH server verifies signatures with), keeping our rules: ed25519, ecdsa
 * (nistp256/384/521) or rsa of at least 3072 bits. Throws SshKeyError with a plain message.
 */
export function parseSshPublicKey(input: string): ParsedSshKey {
  const line = input.trim();
  if (line.includes('PRIVATE KEY')) throw new SshKeyError('This is a private key. Paste the public key instead: the contents of the file ending in .pub.');
  const [type = '', data = '', ...rest] = line.split(/\s+/);
  if (!/^(ssh-|ecdsa-sha2-|sk-)/.test(type) || !data) throw new SshKeyError(NOT_A_KEY);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data)) throw new SshKeyError('The key data is not valid base64.');
  if (!(type in BITS) && type !== 'ssh-rsa') {
    throw new SshKeyError(`Keys of type "${type.slice(0, 40)}" are not supported; use ed25519, ecdsa or rsa (3072 bits or more).`);
  }
  const blob = Buffer.from(data, 'base64');
  const inner = blob.length >= 4 ? blob.subarray(4, 4 + blob.readUInt32BE(0)).toString('latin1') : '';
  if (inner !== type) throw new SshKeyError('The key type does not match the key data.');
  const parsed = ssh2.utils.parseKey(`${type} ${data}`);
  if (parsed instanceof Error || Array.isArray(parsed) || parsed.isPrivateKey() || parsed.type !== type) {
    throw new SshKeyError('The key data is not a valid key of this type; copy the whole line from the .pub file again.');
  }
  // ssh2 parses what it understands; the blob must be exactly the key it parsed, nothing more.
  if (!parsed.getPublicSSH().equals(blob)) throw new SshKeyError('The key has unexpected data at the end.');
  // OpenSSL checks the key itself (an ECDSA point on its curve, say), which ssh2's parser does not.
  let details;
  try {
    details = createPublicKey(parsed.getPublicPEM()).asymmetricKeyDetails;
  } catch {
    throw new SshKeyError('The key data is not a valid key of this type; copy the whole line from the .pub file again.');
  }
  let bits = BITS[type];
  if (type === 'ssh-rsa') {
    bits = details?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) throw new SshKeyError(`This RSA key has ${bits} bits; use at least ${MIN_RSA_BITS}, or better an ed25519 key.`);
  }
  return { type: type as ParsedSshKey['type'], bits, fingerprint: sshFingerprint(blob), canonical: `${type} ${data}`, comment: rest.join(' ') };
}
