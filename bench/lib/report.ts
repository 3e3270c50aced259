import { OP_LABELS, type OpKey } from '../ops.js';
import type { LoadResult } from './load.js';

export type System = 'ours' | 'peer' | 'ceiling';

/** `ceilingRps`: the bare route measured right before this operation, on the same (shared) machine. */
export interface Measured extends LoadResult {
  system: System;
  op: OpKey;
  ceilingRps?: number;
  /** With --rounds N: every round; the fields above are the median round's. */
  rounds?: { rps: number; p50: number; p99: number; ceilingRps?: number }[];
  /** CPU time (user + system) the server process used per measured request, from /proc; one process only. */
  cpuMsPerRequest?: number;
  /**
   * Creations only: the same operation one request at a time (1 connection), right after the
   * measurement under load, with fixtures left over: the latency of one request with nothing
   * queued in front of it (ADR 0123: how accept's "p99 under 15 ms" is read).
   */
  serial?: { requests: number; rps: number; p50: number; p99: number };
}

export interface RunResult {
  date: string;
  scale: string;
  processes: number;
  connections: number;
  measureSeconds: number;
  rounds?: number;
  /** The commit measured and how many files under src/ differed from it when the run started. */
  code?: { commit: string; srcChanged: number } | null;
  machine: { cpus: number; cpuModel: string; node: string; postgres: string; loadavg: number[]; loadavgBefore: number[] };
  seed: { seconds: number; ours: Record<string, number>; peer: Record<string, number> };
  pagination: Record<string, { requests: number; items: number; pageSize: number | null }>;
  results: Measured[];
  ratios: { op: OpKey; oursPerPeer: number | null; oursPerCeiling: number | null }[];
  explain: { name: string; executionMs: number; sql: string; plan: string }[];
  checks: Record<string, unknown>;
  /** With --cpu-prof: where our server's CPU time went (bench/lib/profile.ts). */
  cpuProfile?: import('./profile.js').ProfileSummary;
  totalSeconds?: number;
}

const ORDER: OpKey[] = ['hello', 'pgselect', 'noop', 'companies', 'apps', 'members', 'invite', 'accept'];

export function ratios(results: Measured[]): RunResult['ratios'] {
  const find = (system: System, op: OpKey) => results.find((r) => r.system === system && r.op === op);
  const ceiling = find('ceiling', 'hello');
  return ORDER.filter((op) => op !== 'hello' && op !== 'pgselect').map((op) => {
    const ours = find('ours', op);
    const peer = find('peer', op);
    return {
      op,
      oursPerPeer: ours && peer ? ours.rps / peer.rps : null,
      oursPerCeiling: ours && (ours.ceilingRps ?? ceiling?.rps) ? ours.rps / (ours.ceilingRps ?? ceiling!.rps) : null,
    };
  });
}

const num = (v: number | null | undefined, digits = 0) => (v === undefined || v === null || Number.isNaN(v) ? '–' : v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const ratio = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : `${v >= 10 ? v.toFixed(0) : v.toFixed(2)}×`);

/** The table as Markdown (printed, and pasted into docs/performance.md). */
export function table(run: RunResult): string {
  const find = (system: System, op: OpKey) => run.results.find((r) => r.system === system && r.op === op);
  const lines = [
    `| operation | ours req/s | ours p50 ms | ours p99 ms | ours CPU ms/req | peer req/s | peer p50 ms | peer p99 ms | peer CPU ms/req | ours/peer | bare route req/s, just before | ours/ceiling |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
  ];
  for (const op of ORDER) {
    const ours = op === 'hello' || op === 'pgselect' ? find('ceiling', op) : find('ours', op);
    const peer = find('peer', op);
    const r = run.ratios.find((x) => x.op === op);
    const flag = (m?: Measured) => (m && (m.non2xx || m.errors) ? ` ⚠${m.non2xx + m.errors}` : '');
    const cpu = (m?: Measured) => (m?.cpuMsPerRequest === undefined ? '–' : m.cpuMsPerRequest.toFixed(2));
    lines.push(`| ${OP_LABELS[op]} | ${num(ours?.rps)}${flag(ours)} | ${num(ours?.p50, 1)} | ${num(ours?.p99, 1)} | ${cpu(ours)} | ${num(peer?.rps)}${flag(peer)} | ${num(peer?.p50, 1)} | ${num(peer?.p99, 1)} | ${cpu(peer)} | ${ratio(r?.oursPerPeer)} | ${num(ours?.ceilingRps)} | ${ratio(r?.oursPerCeiling)} |`);
  }
  return lines.join('\n');
}

/** p50 and p99 at 1M over 10k, per operation and system. */
export function scaleTable(small: RunResult, large: RunResult): string {
  const lines = ['| operation | system | p50 10k → 1M | p99 10k → 1M | req/s 10k → 1M |', '|---|---|---:|---:|---:|'];
  for (const op of ORDER) {
    for (const system of ['ours', 'peer', 'ceiling'] as System[]) {
      const a = small.results.find((r) => r.system === system && r.op === op);
      const b = large.results.find((r) => r.system === system && r.op === op);
      if (!a || !b) continue;
      lines.push(`| ${OP_LABELS[op]} | ${system} | ${ratio(b.p50 / a.p50)} | ${ratio(b.p99 / a.p99)} | ${ratio(b.rps / a.rps)} |`);
    }
  }
  return lines.join('\n');
}
