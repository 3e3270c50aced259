/* global process */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { declareClassPlugin, PluginKind } from '@stryker-mutator/api/plugin';
// Mutation testing (issue 10): `npm run test:mutation` runs every module in turn;
// `npm run test:mutation -- <module>` runs one (see scripts/mutation.sh and docs/testing.md).
// Not part of CI: it takes long. Each module runs only the test files that guard it
// (vitest.mutation.config.ts), with concurrency 1 so it fits a small shared machine.
const MUTATE = {
  authz: ['src/server/authz/**/*.ts'],
  passwords: ['src/server/modules/accounts/passwords.ts'],
  security: ['src/server/http/security.ts'],
  render: ['src/server/modules/mail/render.ts'],
  invitations: ['src/server/modules/invitations/**/*.ts'],
  members: ['src/server/modules/members/**/*.ts'],
  companies: ['src/server/modules/companies/**/*.ts'],
  billing: ['src/server/modules/billing/**/*.ts'],
  // Issue 13: who may clone and push over SSH, and which commands are run at all.
  codeAccess: ['src/server/modules/deployments/decideCodeAccess.ts', 'src/server/ssh/command.ts'],
};

const module = process.env.MUTATION_MODULE ?? 'authz';
const mutantLog = `reports/mutation/${module}.mutants.jsonl`;

/**
 * Reporter "mutant-log": one JSON line per mutant as soon as it is tested, in
 * reports/mutation/<module>.mutants.jsonl, so a run stopped before its end (a loaded machine,
 * a deadline) still shows which mutants survived so far. The incremental file is only
 * written at the end of a run.
 */
class MutantLog {
  constructor() {
    mkdirSync('reports/mutation', { recursive: true });
    writeFileSync(mutantLog, '');
  }
  onMutantTested(m) {
    const { fileName, mutatorName, replacement, location, status, statusReason, killedBy, testsCompleted } = m;
    appendFileSync(mutantLog, `${JSON.stringify({ at: new Date().toISOString(), file: fileName.replace(`${process.cwd()}/`, ''), line: location.start.line, mutatorName, replacement, status, killedBy, testsCompleted, statusReason: status === 'Killed' ? undefined : statusReason })}\n`);
  }
}
export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, 'mutant-log', MutantLog)];
if (!MUTATE[module]) throw new Error(`MUTATION_MODULE=${module} is not one of ${Object.keys(MUTATE).join(', ')}`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  // MUTATION_MUTATE=a.ts,b.ts narrows a run to some of the module's files (each such run
  // completes and is kept in the incremental file, so a module can be measured in pieces).
  mutate: process.env.MUTATION_MUTATE ? process.env.MUTATION_MUTATE.split(',') : MUTATE[module],
  coverageAnalysis: 'perTest',
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 1),
  // A mutant's time limit is timeoutFactor × the covering tests' time in the dry run plus
  // timeoutMS. Stryker counts a timeout as detected; on a loaded machine (load average 20 on
  // 2 cores, 2 December) runs slowed down several times over and plainly killable mutants
  // timed out, so the limits are generous and docs/testing.md reports timeouts apart.
  timeoutMS: 60_000,
  timeoutFactor: 3,
  dryRunTimeoutMinutes: 20,
  reporters: ['clear-text', 'progress', 'json', 'mutant-log'],
  appendPlugins: ['./stryker.config.mjs'],
  jsonReporter: { fileName: `reports/mutation/${module}.json` },
  // Partial runs accumulate: a stopped run's results are reused by the next one for every
  // mutant whose code and covering tests did not change (reports/ is ignored by git).
  incremental: true,
  incrementalFile: `reports/mutation/${module}.incremental.json`,
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  ignoreStatic: true,
  checkers: [],
};
