#!/usr/bin/env bash
# The sample application's tests, as swarm-test runs them: DOCKER_HOST points at the swarm, and
# SWARM_SERVICE_EXAMPLE_WEB holds where the runner reaches the web service.
set -euo pipefail
: "${SWARM_SERVICE_EXAMPLE_WEB:?swarm-test exports the address of each service}"
docker service ls
# Both services run every replica they want.
test "$(docker service ls --filter name=example_ --format '{{.Replicas}}' | sort | tr '\n' ' ')" = "1/1 2/2 "
# The web service answers, built from this repository's source.
wget -q -T 10 -O - "http://$SWARM_SERVICE_EXAMPLE_WEB/" | grep -q 'setup-swarm example: web'
# It reaches the echo service over the overlay network: echo answers with its task's hostname.
answer=$(wget -q -T 10 -O - "http://$SWARM_SERVICE_EXAMPLE_WEB/cgi-bin/echo")
echo "echo says: $answer"
test -n "$answer" && ! grep -q unreachable <<<"$answer"
echo "example tests passed"
