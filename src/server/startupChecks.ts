import net from 'node:net';

/** A port or address the server cannot listen on; the message names the variable to change. */
export class ListenError extends Error {}

export function describeListenError(err: NodeJS.ErrnoException, host: string, port: number): string | null {
  switch (err.code) {
    case 'EADDRINUSE':
      return `Port ${port} on ${host} is already in use (perhaps another Dashboard is running). Stop that program, or choose another port with PORT=… (PUBLIC_URL follows it unless you set it).`;
    case 'EACCES':
      return `Port ${port} needs administrator rights on this system; choose a port from 1024 up with PORT=…`;
    case 'EADDRNOTAVAIL':
      return `HOST=${host} is not an address of this machine; use 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or one of its addresses.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `HOST=${host} does not resolve to an address; use 127.0.0.1, 0.0.0.0 or an address of this machine.`;
    default:
      return null;
  }
}

/** Listens on host:port for a moment and lets go: a taken port is found before migrating. */
export function checkListen(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      const message = describeListenError(err, host, port);
      reject(message ? new ListenError(message) : err);
    });
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}
