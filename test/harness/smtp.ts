import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface TestSmtp {
  url: string;
  received: ParsedMail[];
  /** Refuse the next n deliveries with a temporary error (to test retries). */
  failNext(n: number): void;
  /** Waits until `count` mails have arrived; fails (throws) when they have not after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  /** Waits for the first mail to `address` (matching `match`); fails when none arrived after `timeoutMs`. */
  waitForMailTo(address: string, match?: (mail: ParsedMail) => boolean, timeoutMs?: number): Promise<ParsedMail>;
  close(): Promise<void>;
}

/** A real SMTP server inside the test process: the edge of the world for mail. */
export async function startTestSmtp(): Promise<TestSmtp> {
  const received: ParsedMail[] = [];
  let failures = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      if (failures > 0) {
        failures -= 1;
        stream.resume();
        stream.on('end', () => { const err = new Error('try again later') as Error & { responseCode: number }; err.responseCode = 451; callback(err); });
        return;
      }
      simpleParser(stream).then((mail) => { received.push(mail); callback(); }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    failNext(n) { failures = n; },
    async waitFor(count, timeoutMs = 5000) {
      const end = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() >= end) throw new Error(`waitFor: ${received.length} of ${count} mails arrived within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return received;
    },
    async waitForMailTo(address, match = () => true, timeoutMs = 5000) {
      const end = Date.now() + timeoutMs;
      const to = address.toLowerCase();
      for (;;) {
        const mail = received.find((m) => JSON.stringify(m.to ?? '').toLowerCase().includes(to) && match(m));
        if (mail) return mail;
        if (Date.now() >= end) throw new Error(`waitForMailTo: no mail to ${address} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
