import type { EventEmitter } from 'node:events';
import autocannon from 'autocannon';

export interface Shot { path: string; headers: Record<string, string>; body?: string }

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  seconds: number;
}

export interface LoadOptions {
  url: string;
  method: 'GET' | 'POST';
  connections: number;
  /** Fixed request (GET routes), or `next` for one fresh request each time (creations). */
  shot?: Shot;
  next?: () => Shot;
  /** Run for this many seconds, or exactly `amount` requests (pools of one-time fixtures). */
  seconds?: number;
  amount?: number;
}

/**
 * One autocannon run on loopback; latency in ms, throughput over the whole run.
 *
 * A run of `amount` requests is timed from its start to its last response, measured here:
 * autocannon only notices that the last connection is done at its next one-second sample
 * tick, so its own `duration` rounds such a run up to whole seconds (1,188 invitations
 * answered in 2.1 s were reported as 3 s, 396/s instead of 566/s; docs/performance.md).
 */
export async function load(opts: LoadOptions): Promise<LoadResult> {
  const base = opts.shot ?? opts.next!();
  const requests: autocannon.Request[] = [{
    method: opts.method, path: base.path, headers: base.headers, body: base.body,
    ...(opts.next ? { setupRequest: (req: autocannon.Request) => ({ ...req, ...opts.next!() }) } : {}),
  }];
  const started = performance.now();
  let lastResponse = started;
  const run = autocannon({
    url: opts.url,
    connections: opts.connections,
    pipelining: 1,
    timeout: 30,
    ...(opts.amount !== undefined ? { amount: opts.amount } : { duration: opts.seconds ?? 5 }),
    requests,
  });
  // Without a callback autocannon returns its tracker (an EventEmitter) made thenable; the types only know the promise.
  (run as unknown as EventEmitter).on('response', () => { lastResponse = performance.now(); });
  const result = await run;
  const total = result['2xx'] + result.non2xx;
  const seconds = opts.amount !== undefined ? (lastResponse - started) / 1000 : result.duration;
  return {
    requests: total,
    rps: total / Math.max(seconds, 0.001),
    // Nothing answered within the window: no latency to report (not 0 ms).
    p50: total ? result.latency.p50 : NaN,
    p99: total ? result.latency.p99 : NaN,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    seconds,
  };
}
