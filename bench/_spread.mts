import { readdirSync, readFileSync } from 'node:fs';
import type { RunResult } from './lib/report.js';
import { OP_LABELS } from './ops.js';
const runs = readdirSync('bench/results').filter((f) => f.endsWith('-p1.json')).map((f) => JSON.parse(readFileSync(`bench/results/${f}`, 'utf8')) as RunResult);
for (const scale of ['10k', '1m']) {
  const rs = runs.filter((r) => r.scale === scale);
  console.log(`\n${scale}: ${rs.length} runs (${rs.map((r) => r.date.slice(11, 16)).join(', ')})`);
  for (const op of ['noop', 'companies', 'apps', 'members', 'invite', 'accept'] as const) {
    const o = rs.map((r) => r.results.find((x) => x.system === 'ours' && x.op === op)?.rps).filter((x): x is number => !!x);
    const p = rs.map((r) => r.results.find((x) => x.system === 'peer' && x.op === op)?.rps).filter((x): x is number => !!x);
    const ratio = rs.map((r) => r.ratios.find((x) => x.op === op)?.oursPerPeer).filter((x): x is number => !!x);
    const f = (a: number[]) => a.length ? `${Math.round(Math.min(...a))}–${Math.round(Math.max(...a))}` : '–';
    const g = (a: number[]) => a.length ? `${Math.min(...a).toFixed(2)}–${Math.max(...a).toFixed(2)}×` : '–';
    console.log(`| ${OP_LABELS[op]} | ${f(o)} | ${f(p)} | ${g(ratio)} |`);
  }
}
