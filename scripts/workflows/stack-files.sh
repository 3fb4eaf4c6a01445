#!/usr/bin/env bash
# The stack's compose files as setup-swarm's `stack` input takes them: a `uses:` step runs in the
# workspace, not in the caller's working directory, so each line is made relative to the workspace.
#   WORKING_DIRECTORY, STACK (one file a line) -> output `stack`.
set -euo pipefail
: "${STACK:?the compose files}"
{
  echo 'stack<<SETUP_SWARM_EOF'
  while IFS= read -r line; do
    line="${line%$'\r'}"
    [ -n "${line// /}" ] || continue
    case "$line" in /*) echo "$line" ;; *) echo "${WORKING_DIRECTORY:-.}/$line" ;; esac
  done <<<"$STACK"
  echo 'SETUP_SWARM_EOF'
} >>"${GITHUB_OUTPUT:?}"
