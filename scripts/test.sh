#!/usr/bin/env bash
# The project's test command: sets up a fresh Debian machine (as root), runs the static checks
# (ESLint, Prettier, the type check of source, tests and scripts, the workflows' schema, shellcheck,
# and dependency-cruiser's rule that imports flow one way), then every test: the unit tests
# and the end-to-end tests (dist/ run as the runner runs it, against real engines). Each static
# check counts as one test. The last line reads "N passed, N failed".
#
# The end-to-end tests run against two engines (see "Tested with" in docs/verification.md):
#   1. Debian's newest Docker (scripts/fetch-engine.sh) with a containerd-store runner, as GitHub's
#      runners have it today: every end-to-end test;
#   2. the same engine with a graph-driver runner (Docker 28 and older, an upgraded Docker 29): the
#      tests that carry images from the runner's store to the nodes';
#   3. Debian 12's Docker 20.10 (graph driver): the local driver (what depends on the engine),
#      the host's firewall, kept clusters.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
bash scripts/setup-debian.sh || { echo "0 passed, 1 failed"; exit 1; }
engine_bin=$(bash scripts/fetch-engine.sh) || { echo "0 passed, 1 failed"; exit 1; }

passed=0
failed=0
count() { passed=$((passed + $1)); failed=$((failed + $2)); }

# shellcheck disable=SC2016 # the list of shell scripts is expanded by the check's own shell
for check in "npx --no-install eslint src __tests__ scripts" "npx --no-install prettier --check src __tests__ scripts" \
  "npx --no-install tsc -p tsconfig.check.json" "npx --no-install node scripts/validate-workflows.js" 'shellcheck $(git ls-files "*.sh" ":!dist") .ci/run' \
  "npx --no-install depcruise src --config .dependency-cruiser.cjs"; do
  echo "== $check"
  if bash -c "$check" </dev/null; then count 1 0; else count 0 1; fi
done

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Runs jest with the given arguments (the engine comes from the caller's environment) and adds its
# closing line to the counts.
run_jest() {
  local title=$1
  shift
  echo "== $title"
  node --experimental-vm-modules node_modules/jest/bin/jest.js --runInBand "$@" </dev/null 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  # The summary reporter's line; a run that printed none (a crash) counts as one failure.
  local closing
  closing=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
  if [ -z "$closing" ]; then count 0 1; return; fi
  count "${closing%% passed*}" "$(echo "$closing" | sed -E 's/.* ([0-9]+) failed/\1/')"
  [ "$status" -eq 0 ] || [ "${closing##*, }" != "0 failed" ] || count 0 1
}

SETUP_SWARM_TEST_ENGINE_BIN=$engine_bin SETUP_SWARM_TEST_RUNNER_STORE=containerd \
  run_jest "unit and end-to-end tests: current engine, containerd-store runner"
SETUP_SWARM_TEST_ENGINE_BIN=$engine_bin SETUP_SWARM_TEST_RUNNER_STORE=graph \
  run_jest "end-to-end tests: current engine, graph-driver runner" \
  __tests__/e2e/integration.test.ts __tests__/e2e/machine-images.test.ts __tests__/e2e/host-firewall.test.ts --selectProjects e2e
SETUP_SWARM_TEST_RUNNER_STORE=graph \
  run_jest "end-to-end tests: Debian 12's Docker 20.10" \
  __tests__/e2e/local.test.ts __tests__/e2e/host-firewall.test.ts __tests__/e2e/reuse.test.ts --selectProjects e2e

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
