import { readFileSync } from 'node:fs';
import { scaleTable, table, type RunResult } from './lib/report.js';
const [a, b] = process.argv.slice(2).map((f) => JSON.parse(readFileSync(f, 'utf8')) as RunResult);
console.log(table(a));
if (b) { console.log('\n'); console.log(table(b)); console.log('\n'); console.log(scaleTable(a, b)); }
