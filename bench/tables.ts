/**
 * Markdown tables from saved runs, for docs/performance.md:
 *   tsx bench/tables.ts bench/results/<10k>.json [bench/results/<1m>.json]   the run tables and the 10k → 1M ratios
 *   tsx bench/tables.ts --spread                                             min–max per operation over all complete one-process runs
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OP_LABELS, type OpKey } from './ops.js';
import { scaleTable, table, type RunResult } from './lib/report.js';

const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as RunResult;

function spread() {
  const runs = readdirSync(RESULTS).filter((f) => f.endsWith('-p1.json')).sort().map((f) => read(path.join(RESULTS, f)))
    .filter((r) => r.results.some((m) => m.system === 'ours' && m.op === 'accept'));
  const range = (values: number[], unit = '') => (values.length
    ? `${Math.min(...values).toLocaleString('en-US', { maximumFractionDigits: unit ? 2 : 0 })}–${Math.max(...values).toLocaleString('en-US', { maximumFractionDigits: unit ? 2 : 0 })}${unit}`
    : '–');
  for (const scale of ['10k', '1m']) {
    const rs = runs.filter((r) => r.scale === scale);
    if (!rs.length) continue;
    console.log(`\n${scale}, ${rs.length} runs (${rs.map((r) => r.date.slice(11, 16)).join(', ')} UTC):\n`);
    console.log('| operation | ours req/s | peer req/s | ours/peer | ours/ceiling |\n|---|---:|---:|---:|---:|');
    for (const op of ['noop', 'companies', 'apps', 'members', 'invite', 'accept'] as OpKey[]) {
      const of = (system: string) => rs.map((r) => r.results.find((m) => m.system === system && m.op === op)?.rps).filter((v): v is number => v !== undefined);
      const ratio = (key: 'oursPerPeer' | 'oursPerCeiling') => rs.map((r) => r.ratios.find((x) => x.op === op)?.[key]).filter((v): v is number => typeof v === 'number');
      console.log(`| ${OP_LABELS[op]} | ${range(of('ours'))} | ${range(of('peer'))} | ${range(ratio('oursPerPeer'), '×')} | ${range(ratio('oursPerCeiling'), '×')} |`);
    }
  }
}

const args = process.argv.slice(2);
if (args[0] === '--spread') {
  spread();
} else {
  const [small, large] = args.map(read);
  console.log(table(small));
  if (large) {
    console.log(`\n${table(large)}\n`);
    console.log(scaleTable(small, large));
  }
}
