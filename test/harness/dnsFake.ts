import dgram from 'node:dgram';

/**
 * A tiny DNS server on loopback for the domain tests (SPEC 4.13): it answers TXT questions
 * from a table the test fills, NXDOMAIN for names it does not know, and can be told to fail
 * (SERVFAIL) or to stay silent (a timeout). UDP only, one question per message (what
 * node:dns sends); no recursion, no other record types (NOERROR with no answers).
 */
export interface DnsFake {
  /** `host:port` for DNS_RESOLVER. */
  address: string;
  /** Sets the TXT records of a name (each record one string; long ones are split in 255-byte chunks). */
  setTxt(name: string, records: string[]): void;
  clear(name?: string): void;
  mode: 'answer' | 'servfail' | 'silent';
  /** Names asked for, lowercased, in order. */
  queries: string[];
  close(): Promise<void>;
}

const TYPE_TXT = 16;

function readName(msg: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let at = offset;
  for (let guard = 0; guard < 128; guard++) {
    const len = msg[at];
    if (len === undefined) throw new Error('truncated name');
    if (len === 0) return { name: labels.join('.'), end: at + 1 };
    if ((len & 0xc0) !== 0) throw new Error('compressed names are not expected in a question');
    labels.push(msg.subarray(at + 1, at + 1 + len).toString('latin1'));
    at += 1 + len;
  }
  throw new Error('name too long');
}

function txtRdata(record: string): Buffer {
  const bytes = Buffer.from(record, 'utf8');
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length || i === 0; i += 255) {
    const chunk = bytes.subarray(i, i + 255);
    parts.push(Buffer.from([chunk.length]), chunk);
    if (bytes.length === 0) break;
  }
  return Buffer.concat(parts);
}

export function answer(query: Buffer, records: Map<string, string[]>, mode: DnsFake['mode']): { name: string; reply: Buffer | null } {
  const id = query.readUInt16BE(0);
  const rd = query[2] & 0x01;
  const { name, end } = readName(query, 12);
  const qtype = query.readUInt16BE(end);
  const question = query.subarray(12, end + 4);
  if (mode === 'silent') return { name, reply: null };
  const known = records.get(name.toLowerCase());
  let rcode = 0;
  const answers: Buffer[] = [];
  if (mode === 'servfail') rcode = 2;
  else if (!known) rcode = 3;
  else if (qtype === TYPE_TXT) {
    for (const record of known) {
      const rdata = txtRdata(record);
      const rr = Buffer.alloc(12);
      rr.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
      rr.writeUInt16BE(TYPE_TXT, 2);
      rr.writeUInt16BE(1, 4); // IN
      rr.writeUInt32BE(60, 6);
      rr.writeUInt16BE(rdata.length, 10);
      answers.push(rr, rdata);
    }
  }
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header[2] = 0x80 | 0x04 | rd; // QR, AA, RD as asked
  header[3] = 0x80 | rcode; // RA
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(rcode === 0 && qtype === TYPE_TXT && known ? known.length : 0, 6);
  return { name, reply: Buffer.concat([header, question, ...answers]) };
}

/** `port`: a fixed one (the end-to-end server is told it before the fake starts); default any free port. */
export async function startDnsFake(opts: { port?: number } = {}): Promise<DnsFake> {
  const socket = dgram.createSocket('udp4');
  const records = new Map<string, string[]>();
  const fake: DnsFake = {
    address: '',
    mode: 'answer',
    queries: [],
    setTxt(name, list) { records.set(name.toLowerCase(), list); },
    clear(name) { if (name) records.delete(name.toLowerCase()); else records.clear(); },
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
  socket.on('message', (msg, rinfo) => {
    try {
      const { name, reply } = answer(msg, records, fake.mode);
      fake.queries.push(name.toLowerCase());
      if (reply) socket.send(reply, rinfo.port, rinfo.address);
    } catch {
      // A message we cannot read gets no answer, as from a real server under attack.
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  fake.address = `127.0.0.1:${socket.address().port}`;
  return fake;
}
