#!/usr/bin/env bash
# Sets up a fresh Debian machine (as root) and runs every test; the last line reads "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh || { echo "0 passed, 1 failed"; exit 1; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
npm test </dev/null 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# jest prints its own lines after the reporters': repeat the count as the closing line.
closing=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
echo "${closing:-0 passed, 1 failed}"
exit "$status"
