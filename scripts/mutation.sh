#!/usr/bin/env bash
# Mutation testing (issue 10): StrykerJS per module, one module after the other.
#   npm run test:mutation                 all modules
#   npm run test:mutation -- authz render one or more modules
# Scores and survivors: reports/mutation/<module>.json and the clear-text report printed here.
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
