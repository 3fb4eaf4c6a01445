#!/usr/bin/env bash
# On a fresh Debian machine, as root: runs the action here with its defaults (driver local,
# 1 manager, 1 worker), shows `docker node ls`, and removes the swarm again.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh >/dev/null
exec node_modules/.bin/node scripts/run-action.ts
