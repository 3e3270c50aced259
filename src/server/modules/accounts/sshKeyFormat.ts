import { createHash } from 'node:crypto';

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
const ECDSA_SIZES: Record<string, { bits: number; pointLength: number }> = {
  nistp256: { bits: 256, pointLength: 65 },
  nistp384: { bits: 384, pointLength: 97 },
  nistp521: { bits: 521, pointLength: 133 },
};

class Reader {
  private offset = 0;
  constructor(private readonly buf: Buffer) {}
  bytes(): Buffer {
    if (this.offset + 4 > this.buf.length) throw new SshKeyError('The key is cut short.');
    const length = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    if (length > this.buf.length - this.offset) throw new SshKeyError('The key is cut short.');
    const out = this.buf.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }
  string(): string { return this.bytes().toString('latin1'); }
  done(): boolean { return this.offset === this.buf.length; }
}

function bitLength(mpint: Buffer): number {
  let i = 0;
  while (i < mpint.length && mpint[i] === 0) i++;
  if (i === mpint.length) return 0;
  return (mpint.length - i - 1) * 8 + (32 - Math.clz32(mpint[i]));
}

/** Parses an OpenSSH public key line (`ssh-ed25519 AAAA… comment`); throws SshKeyError with a plain message. */
export function parseSshPublicKey(input: string): ParsedSshKey {
  const line = input.trim();
  if (line.includes('PRIVATE KEY')) throw new SshKeyError('This is a private key. Paste the public key instead: the contents of the file ending in .pub.');
  const parts = line.split(/\s+/);
  if (parts.length < 2) throw new SshKeyError('This does not look like an SSH public key. It should start with ssh-ed25519, ecdsa-sha2-… or ssh-rsa.');
  const [type, data, ...rest] = parts;
  if (!/^(ssh-|ecdsa-sha2-|sk-)/.test(type)) throw new SshKeyError('This does not look like an SSH public key. It should start with ssh-ed25519, ecdsa-sha2-… or ssh-rsa.');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data)) throw new SshKeyError('The key data is not valid base64.');
  const blob = Buffer.from(data, 'base64');
  const reader = new Reader(blob);
  const inner = reader.string();
  if (inner !== type) throw new SshKeyError('The key type does not match the key data.');
  let bits: number;
  if (type === 'ssh-ed25519') {
    if (reader.bytes().length !== 32) throw new SshKeyError('An ed25519 key has 32 bytes; this one does not.');
    bits = 256;
  } else if (type.startsWith('ecdsa-sha2-')) {
    const curve = reader.string();
    const size = ECDSA_SIZES[curve];
    if (!size || `ecdsa-sha2-${curve}` !== type) throw new SshKeyError('This ECDSA curve is not supported; use nistp256, nistp384 or nistp521.');
    const point = reader.bytes();
    if (point.length !== size.pointLength || point[0] !== 4) throw new SshKeyError('The ECDSA key point is not valid.');
    bits = size.bits;
  } else if (type === 'ssh-rsa') {
    const e = reader.bytes();
    const n = reader.bytes();
    if (e.length === 0 || n.length === 0) throw new SshKeyError('The RSA key is not valid.');
    bits = bitLength(n);
    if (bits < MIN_RSA_BITS) throw new SshKeyError(`This RSA key has ${bits} bits; use at least ${MIN_RSA_BITS}, or better an ed25519 key.`);
  } else {
    throw new SshKeyError(`Keys of type "${type.slice(0, 40)}" are not supported; use ed25519, ecdsa or rsa (3072 bits or more).`);
  }
  if (!reader.done()) throw new SshKeyError('The key has unexpected data at the end.');
  const fingerprint = 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
  return { type: type as ParsedSshKey['type'], bits, fingerprint, canonical: `${type} ${data}`, comment: rest.join(' ') };
}
