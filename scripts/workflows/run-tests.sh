#!/usr/bin/env bash
# swarm-test's test step: runs the caller's test command against the swarm. DOCKER_HOST,
# DOCKER_TLS_VERIFY and DOCKER_CERT_PATH are already exported by setup-swarm; this adds each
# service's endpoint: SWARM_SERVICE_<STACK_SERVICE>=<ip:port> (the first published port's address,
# upper case, other characters as _), and SWARM_SERVICES, the action's `services` output (JSON).
# The command comes through the environment (TEST_COMMAND), never spliced into a script.
set -euo pipefail
: "${TEST_COMMAND:?the test command}"
export SWARM_SERVICES="${SWARM_SERVICES:-[]}"
while IFS=$'\t' read -r name address; do
  [ -n "$name" ] || continue
  variable="SWARM_SERVICE_$(printf '%s' "$name" | tr '[:lower:]' '[:upper:]' | tr -c 'A-Z0-9\n' '_')"
  export "$variable=$address"
  echo "$variable=$address"
done < <(jq -r '.[] | select(.ports[0].address != null) | [.name, .ports[0].address] | @tsv' <<<"$SWARM_SERVICES")
exec bash -eo pipefail -c "$TEST_COMMAND"
