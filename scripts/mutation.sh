#!/usr/bin/env bash
# Mutation testing (issue 10): StrykerJS per module, one module after the other.
#   npm run test:mutation                 all modules
#   npm run test:mutation -- authz render one or more modules
#   MUTATION_MUTATE=src/a.ts,src/b.ts npm run test:mutation -- <module>   some files of a module
#   MUTATION_TEST_FILES=test/x.test.ts npm run test:mutation -- <module>  some of its test files
# Run it with `nice -n 19` on a shared machine.
# Scores and survivors: reports/mutation/<module>.json and the clear-text report printed here;
# reports/mutation/<module>.mutants.jsonl has one line per mutant as it is tested (useful when a
# run is stopped); reports/mutation/<module>.incremental.json lets the next run reuse results.
set -euo pipefail
cd "$(dirname "$0")/.."
modules=("$@")
[ ${#modules[@]} -eq 0 ] && modules=(authz passwords security render members companies invitations billing codeAccess)
for m in "${modules[@]}"; do
  echo "==> mutation testing: $m ($(date -u +%H:%M:%S) UTC)"
  start=$(date +%s)
  MUTATION_MODULE="$m" npx stryker run stryker.config.mjs
  echo "==> $m took $(( $(date +%s) - start ))s"
done
