import { spawn, type ChildProcess } from 'node:child_process';

export interface Server { url: string; child: ChildProcess; stop(): Promise<void>; output(): string }

/**
 * Starts a server as a separate process and waits until `readyPath` answers 200.
 * Keeps the last output for error messages; stops with SIGTERM, then SIGKILL.
 */
export async function startServer(opts: {
  name: string; args: string[]; env: Record<string, string>; port: number; readyPath: string; timeoutMs?: number;
  /** Also wait for this text in the output (the cluster primary says when every worker listens). */
  readyLine?: string;
}): Promise<Server> {
  const url = `http://127.0.0.1:${opts.port}`;
  // A leftover server on the port would answer the readiness check and be measured instead.
  const stale = await fetch(url + opts.readyPath).then(() => true, () => false);
  if (stale) throw new Error(`${opts.name}: port ${opts.port} is already in use; stop whatever listens there first.`);
  const child = spawn(process.execPath, opts.args, {
    env: { ...process.env, ...opts.env, PORT: String(opts.port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (chunk: Buffer) => { out = (out + chunk.toString()).slice(-8000); };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited: number | null = null;
  child.on('exit', (code) => { exited = code ?? -1; });
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    if (exited !== null) throw new Error(`${opts.name} exited with ${exited} before it was ready:\n${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${opts.name} was not ready within ${(opts.timeoutMs ?? 60_000) / 1000} s:\n${out}`);
    }
    try {
      const res = await fetch(url + opts.readyPath);
      if (res.status === 200 && (!opts.readyLine || out.includes(opts.readyLine))) break;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url, child,
    output: () => out,
    stop: () => new Promise<void>((resolve) => {
      if (exited !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => { clearTimeout(timer); resolve(); });
      child.kill('SIGTERM');
    }),
  };
}
