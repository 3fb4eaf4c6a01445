#!/usr/bin/env bash
# ci.yml's jobs on the local driver, after setup-swarm's post: fails naming every cgroup a cluster
# left (its parent, /setup-swarm-<bridge>, and what is below it). Every hierarchy (v1, hybrid, v2) is
# mounted under the cgroup root and find descends into each, at any depth. The runner is the job's
# own: whatever is there is this job's.
#   CGROUP_ROOT (default /sys/fs/cgroup)
set -euo pipefail
root=${CGROUP_ROOT:-/sys/fs/cgroup}

left=$(find "$root" -type d -name 'setup-swarm-*' -prune -print)
if [ -n "$left" ]; then
  echo "::error title=cgroups left::a cluster left cgroups:%0A${left//$'\n'/%0A}"
  exit 1
fi
echo "no cgroup of a cluster is left under $root"
