import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A V8 `.cpuprofile` (what `node --cpu-prof` writes on exit). */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Sampled time in all, and the share of it not idle. */
  totalMs: number;
  busyShare: number;
  /** Busy CPU time per request served while profiled (warm-ups included), in µs; less sensitive to a shared machine than requests/s. */
  busyUsPerRequest: number | null;
  requests: number;
  /** Self time by where the code lives (a package, our src/, Node internals, GC, native). */
  byArea: { area: string; share: number }[];
  /**
   * Self time charged to the nearest package or src/ frame on the stack, so Node's
   * internals and native calls (`writev`) count for whoever called them (`pg`, `fastify`).
   */
  byCaller: { area: string; share: number }[];
  /** The functions with the most self time. */
  topFunctions: { fn: string; share: number }[];
}

/** Where a frame's code lives: `pg`, `drizzle-orm`, `src/server/…`, `(garbage collector)`, … */
function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : `(native) ${functionName || 'anonymous'}`;
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const src = url.indexOf('/src/server/');
  if (src >= 0) return `src/server/${url.slice(src + '/src/server/'.length).split('/')[0]}`;
  return url.replace(/^file:\/\//, '').split('/').slice(-2).join('/');
}

/** Self time per node of one profile, in microseconds, from `skipUs` after its start. */
function selfTimes(profile: CpuProfile, skipUs: number): Map<number, number> {
  const self = new Map<number, number>();
  let at = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < skipUs) continue;
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  return self;
}

function isCode(url: string): boolean {
  return url.includes('node_modules/') || url.includes('/src/server/');
}

/**
 * Sums every profile in `dir` (one per process) into shares of the busy time, leaving out
 * the first `skipMs` of each (the process starting: module loading and compilation).
 */
export function summarizeProfiles(dir: string, skipMs = 0, requests = 0): ProfileSummary {
  const callers = new Map<string, number>();
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  let total = 0;
  let idle = 0;
  // The main thread of each process (CPU.<date>.<time>.<pid>.0.<n>.cpuprofile); other threads are tsx's loader.
  for (const file of readdirSync(dir).filter((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f))) {
    const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const callerOf = new Map<number, string>();
    const charge = (id: number): string => {
      let found = callerOf.get(id);
      if (found) return found;
      let at: number | undefined = id;
      while (at !== undefined && !isCode(byId.get(at)!.callFrame.url)) at = parent.get(at);
      const frame = byId.get(at ?? id)!.callFrame;
      found = areaOf(frame.url, frame.functionName);
      callerOf.set(id, found);
      return found;
    };
    for (const [id, us] of selfTimes(profile, skipMs * 1000)) {
      const frame = byId.get(id)!.callFrame;
      total += us;
      if (frame.functionName === '(idle)') { idle += us; continue; }
      const area = areaOf(frame.url, frame.functionName);
      areas.set(area, (areas.get(area) ?? 0) + us);
      const caller = charge(id);
      callers.set(caller, (callers.get(caller) ?? 0) + us);
      const fn = `${frame.functionName || '(anonymous)'} ${frame.url ? `${areaOf(frame.url, '')}:${frame.lineNumber + 1}` : ''}`.trim();
      fns.set(fn, (fns.get(fn) ?? 0) + us);
    }
  }
  const busy = total - idle || 1;
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
  return {
    totalMs: Math.round(total / 1000),
    busyShare: Number(((total - idle) / (total || 1)).toFixed(3)),
    busyUsPerRequest: requests > 0 ? Math.round((total - idle) / requests) : null,
    requests,
    byArea: top(areas, 15).map(([area, us]) => ({ area, share: Number((us / busy).toFixed(3)) })),
    byCaller: top(callers, 12).map(([area, us]) => ({ area, share: Number((us / busy).toFixed(3)) })),
    topFunctions: top(fns, 20).map(([fn, us]) => ({ fn, share: Number((us / busy).toFixed(3)) })),
  };
}

export function formatProfile(p: ProfileSummary): string {
  const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)} %`;
  return [
    `    ${(p.totalMs / 1000).toFixed(1)} s sampled, ${pct(p.busyShare).trim()} busy, ${p.requests} requests${p.busyUsPerRequest ? `: ${p.busyUsPerRequest} µs of CPU per request` : ''}; self time of the busy part by area:`,
    ...p.byArea.map((a) => `      ${pct(a.share)}  ${a.area}`),
    '    charged to the nearest package or src/ frame on the stack:',
    ...p.byCaller.map((a) => `      ${pct(a.share)}  ${a.area}`),
    '    top functions:',
    ...p.topFunctions.slice(0, 12).map((f) => `      ${pct(f.share)}  ${f.fn}`),
  ].join('\n');
}
