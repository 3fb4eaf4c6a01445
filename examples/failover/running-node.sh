#!/usr/bin/env bash
# The node that runs a service's task now, and where the runner reaches its published port.
# Usage: running-node.sh <service> <port>; NODES: setup-swarm's `nodes` output (node names are the
# nodes' hostnames, which `docker service ps` shows). Prints `node=<name>` and `address=<ip:port>`,
# for $GITHUB_OUTPUT.
set -euo pipefail
service=$1 port=$2
: "${NODES:?the nodes output of setup-swarm}"
for _ in $(seq 1 30); do
  node=$(docker service ps "$service" --filter desired-state=running --format '{{.Node}} {{.CurrentState}}' | awk '$2 == "Running" {print $1; exit}')
  [ -n "$node" ] && break
  sleep 2
done
: "${node:?no task of $service is running}"
ip=$(jq -r --arg node "$node" '.[] | select(.name == $node) | .ip' <<<"$NODES")
echo "node=$node"
echo "address=$ip:$port"
