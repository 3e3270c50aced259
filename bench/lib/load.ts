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

/** One autocannon run on loopback; latency in ms, throughput over the whole run. */
export async function load(opts: LoadOptions): Promise<LoadResult> {
  const base = opts.shot ?? opts.next!();
  const requests: autocannon.Request[] = [{
    method: opts.method, path: base.path, headers: base.headers, body: base.body,
    ...(opts.next ? { setupRequest: (req: autocannon.Request) => ({ ...req, ...opts.next!() }) } : {}),
  }];
  const result = await autocannon({
    url: opts.url,
    connections: opts.connections,
    pipelining: 1,
    timeout: 30,
    ...(opts.amount !== undefined ? { amount: opts.amount } : { duration: opts.seconds ?? 5 }),
    requests,
  });
  const total = result['2xx'] + result.non2xx;
  return {
    requests: total,
    rps: total / Math.max(result.duration, 0.001),
    // Nothing answered within the window: no latency to report (not 0 ms).
    p50: total ? result.latency.p50 : NaN,
    p99: total ? result.latency.p99 : NaN,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    seconds: result.duration,
  };
}
