#!/usr/bin/env bash
# Sets up a fresh Debian machine (as root) and runs every test; the last line reads "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
exec npm test </dev/null
