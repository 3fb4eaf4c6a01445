#!/usr/bin/env bash
# The project's test command: sets up a fresh Debian machine (as root), runs the static checks
# (ESLint, Prettier, the type check of source, tests and scripts), then every test: the unit tests
# and the end-to-end tests (dist/ run as the runner runs it, against real engines). Each static
# check counts as one test. The last line reads "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh || { echo "0 passed, 1 failed"; exit 1; }

checks_passed=0
checks_failed=0
for check in "eslint src __tests__ scripts" "prettier --check src __tests__ scripts" "tsc -p tsconfig.check.json" "node scripts/validate-workflows.js"; do
  echo "== $check"
  if npx --no-install $check </dev/null; then
    checks_passed=$((checks_passed + 1))
  else
    checks_failed=$((checks_failed + 1))
  fi
done

log=$(mktemp)
trap 'rm -f "$log"' EXIT
npm run -s test:all </dev/null 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# jest prints its own lines after the reporters': repeat the count, with the checks, as the closing line.
closing=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
passed=$(( ${closing%% passed*} + checks_passed ))
failed=$(( $(echo "${closing:-0 passed, 1 failed}" | sed -E 's/.* ([0-9]+) failed/\1/') + checks_failed ))
[ -n "$closing" ] || passed=$checks_passed
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$checks_failed" -eq 0 ]
